package io.stackwright.api.tenancy;

/**
 * The admission levels, after Kubernetes' Pod Security Standards translated to Docker (see
 * docs/tenancy.md for every rule). Each level includes the rules of the one before.
 */
public enum PolicyLevel {
  /** Anything goes. */
  PRIVILEGED,
  /**
   * Known privilege escalations refused: host network, capabilities beyond Docker's defaults, binds
   * of the Docker socket or sensitive host paths, devices, unmasked system paths, unsafe sysctls.
   */
  BASELINE,
  /**
   * Hardened: also a non-root user, no-new-privileges, all capabilities dropped but a short allowed
   * list, a read-only root filesystem (or a declared exception), CPU and memory limits, and no
   * unconfined seccomp or AppArmor.
   */
  RESTRICTED
}
