/**
 * Docker Swarm for Stackwright: {@link io.stackwright.swarm.SwarmPlatform}, found by the
 * orchestrator through {@link io.stackwright.swarm.SwarmPlatformProvider} under the name {@code
 * swarm}.
 *
 * <p>Stacks are deployed the way {@code docker stack deploy} deploys them (same names, labels and
 * defaults), so the docker CLI sees Stackwright's stacks and Stackwright adopts the CLI's. The
 * engine is {@code docker.host} from the platform context, else {@code DOCKER_HOST}, else the local
 * socket; the node must be a Swarm manager.
 */
package io.stackwright.swarm;
