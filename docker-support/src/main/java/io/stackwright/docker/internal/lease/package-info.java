/**
 * Internal: what the Swarm lease (config objects) and the single-engine lease (container
 * generations) keep alike in labels. Not an API (see {@link io.stackwright.docker.internal}).
 */
package io.stackwright.docker.internal.lease;
