/**
 * Internal: following the engine's {@code /events} stream. Not an API (see {@link
 * io.stackwright.docker.internal}).
 */
package io.stackwright.docker.internal.events;
