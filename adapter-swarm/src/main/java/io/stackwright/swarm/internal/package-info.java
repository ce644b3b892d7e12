/**
 * The machinery of the Swarm adapter; not an API. {@link
 * io.stackwright.swarm.internal.ServiceConverter} turns a stack into Swarm specs, {@link
 * io.stackwright.swarm.internal.Resolution} compares them with a {@link
 * io.stackwright.swarm.internal.LiveStack} read (through {@link
 * io.stackwright.swarm.internal.SpecNormalizer} and {@link io.stackwright.swarm.internal.TreeDiff})
 * and makes the plan, {@link io.stackwright.swarm.internal.Applier} writes it, {@link
 * io.stackwright.swarm.internal.StatusReader}, {@link io.stackwright.swarm.internal.Remover} and
 * {@link io.stackwright.swarm.internal.TaskWatcher} do the rest; the connection to the engine and
 * the error translation are the shared {@link io.stackwright.docker.internal.Engine}.
 */
package io.stackwright.swarm.internal;
