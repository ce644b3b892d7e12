/**
 * Internal: a container's CPU and memory counters, from cgroup files or the engine's stats. Not an
 * API (see {@link io.stackwright.docker.internal}).
 */
package io.stackwright.docker.internal.usage;
