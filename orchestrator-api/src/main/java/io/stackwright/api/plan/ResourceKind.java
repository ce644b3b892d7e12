package io.stackwright.api.plan;

/** The kinds of resource a plan can create, update or delete. */
public enum ResourceKind {
  NETWORK,
  VOLUME,
  SECRET,
  CONFIG,
  SERVICE
}
