/**
 * Reading Compose files into a {@link io.stackwright.api.StackSpec}: {@link
 * io.stackwright.loader.ComposeLoader} is the entry point; everything in {@code .internal} is
 * implementation.
 */
package io.stackwright.loader;
