/**
 * Internal: the Engine API plumbing the Swarm and single-engine adapters share. {@link
 * io.stackwright.docker.internal.Engine} is the connection to one engine (docker-java's typed
 * client and raw JSON requests over the same transports) and turns every engine or transport
 * failure into one of the API's exceptions; {@code events} follows the engine's event stream,
 * {@code usage} reads containers' CPU and memory (cgroup files or the stats endpoint), {@code
 * lease} holds what both lease implementations keep in labels, and {@link
 * io.stackwright.docker.internal.ContainerAddresses} finds where this process reaches a container.
 *
 * <p><strong>Not an API.</strong> This module is published only because both adapters depend on it.
 * Host applications and third-party adapters must not use it: anything here may change or disappear
 * in any release, without notice.
 */
package io.stackwright.docker.internal;
