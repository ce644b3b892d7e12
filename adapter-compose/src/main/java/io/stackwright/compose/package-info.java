/**
 * The single-engine platform (containers managed the way {@code docker compose} does) will live
 * here. It is not implemented yet: this module has no {@code PlatformProvider}, so the orchestrator
 * does not offer a {@code compose} platform.
 */
package io.stackwright.compose;
