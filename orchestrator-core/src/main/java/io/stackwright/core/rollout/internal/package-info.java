/** Machinery of the rollout strategies: the per-deployment context and the revision history. */
package io.stackwright.core.rollout.internal;
