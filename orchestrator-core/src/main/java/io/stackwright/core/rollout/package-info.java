/**
 * The built-in {@link io.stackwright.api.spi.DeploymentStrategy deployment strategies}. A host
 * application registers its own through {@code Orchestrator.Builder#strategy}.
 */
package io.stackwright.core.rollout;
