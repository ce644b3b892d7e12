/**
 * The single-engine platform: stacks run as plain containers on one Docker engine, named and
 * labelled the way {@code docker compose} names and labels them. Host applications choose it with
 * the platform name {@code compose} ({@link io.stackwright.compose.ComposePlatformProvider}) or
 * create a {@link io.stackwright.compose.ComposePlatform} directly; everything else is in {@code
 * internal}.
 */
package io.stackwright.compose;
