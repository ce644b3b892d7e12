package io.stackwright.api.spi;

/** Optional abilities a {@link Platform} declares; core and the TCK gate behaviour on them. */
public enum Capability {
  /** Secrets stored by the platform (Swarm secrets) or mounted as files by the adapter. */
  SECRETS,
  CONFIGS,
  /** Networks spanning several nodes. */
  OVERLAY_NETWORKS,
  /** Replacing replicas batch by batch is done by the platform itself. */
  NATIVE_ROLLING_UPDATE,
  /** Global mode: one replica per node. */
  GLOBAL_MODE,
  /** Placement constraints and preferences. */
  PLACEMENT,
  /** The platform restarts and replaces replicas by itself. */
  SELF_HEALING,
  /** Updates check a version index, so concurrent writers are detected. */
  OPTIMISTIC_CONCURRENCY,
  /** {@link Platform#replicaAddress} gives addresses this process can connect to. */
  REPLICA_ADDRESS,
  /** {@link Platform#exec} runs a command inside a replica. */
  EXEC,
  /** {@link Platform#replace} replaces one replica with a fresh one. */
  REPLACE_REPLICA,
  /** {@link Platform#usage} reads a replica's CPU and memory counters. */
  RESOURCE_USAGE,
  /** {@link Platform#lease} keeps leases in the cluster, atomically. */
  LEASE,
  /**
   * {@link Platform#startReplica} and {@link Platform#removeReplica} let core roll a service out
   * replica by replica where the platform has no rolling update of its own.
   */
  REPLICA_CONTROL,
  /** {@link Platform#logs} reads (and follows) the replicas' log lines. */
  LOGS
}
