/**
 * The machinery of the compose platform: naming and labels ({@link
 * io.stackwright.compose.internal.ComposeNames}), the config hash, the planner and the applier, the
 * container mapping, secret files, status and the event watcher. Not an API: host applications use
 * {@link io.stackwright.compose.ComposePlatform} and {@link
 * io.stackwright.compose.ComposePlatformProvider} only.
 */
package io.stackwright.compose.internal;
