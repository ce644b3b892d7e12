package io.stackwright.api.health;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stackwright's probes, recovery and alerting of a service's replicas, with Kubernetes' three
 * tiers: a startup probe holds the others until it passes; a failing liveness probe gets the
 * replica replaced (as the {@link RecoveryPolicy} says); a failing readiness probe takes it out of
 * traffic without replacing it. {@link #NONE} when the service has none.
 *
 * @param probes the probes by tier; a tier may be absent
 * @param recovery what happens on liveness failure and crash loops
 */
public record HealthPolicy(Map<ProbeTier, ProbeSpec> probes, RecoveryPolicy recovery) {
  public static final HealthPolicy NONE = new HealthPolicy(Map.of(), RecoveryPolicy.DEFAULT);

  public HealthPolicy {
    probes = probes == null || probes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(probes));
    recovery = Objects.requireNonNullElse(recovery, RecoveryPolicy.DEFAULT);
    ProbeSpec startup = probes.get(ProbeTier.STARTUP);
    ProbeSpec liveness = probes.get(ProbeTier.LIVENESS);
    // Kubernetes rejects these too: a replica cannot "recover" into being alive or started.
    if (startup != null && startup.successThreshold() != 1) {
      throw new IllegalArgumentException("the startup probe's success threshold must be 1");
    }
    if (liveness != null && liveness.successThreshold() != 1) {
      throw new IllegalArgumentException("the liveness probe's success threshold must be 1");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The probe of a tier, if the policy has one. */
  public Optional<ProbeSpec> probe(ProbeTier tier) {
    return Optional.ofNullable(probes.get(tier));
  }

  /** Whether the policy probes anything. */
  public boolean isNone() {
    return probes.isEmpty();
  }

  /** Builds a {@link HealthPolicy}. */
  public static final class Builder {
    private final Map<ProbeTier, ProbeSpec> probes = new EnumMap<>(ProbeTier.class);
    private RecoveryPolicy recovery = RecoveryPolicy.DEFAULT;

    private Builder() {}

    public Builder startup(ProbeSpec probe) {
      probes.put(ProbeTier.STARTUP, probe);
      return this;
    }

    public Builder startup(ProbeSpec.Builder probe) {
      return startup(probe.build());
    }

    public Builder liveness(ProbeSpec probe) {
      probes.put(ProbeTier.LIVENESS, probe);
      return this;
    }

    public Builder liveness(ProbeSpec.Builder probe) {
      return liveness(probe.build());
    }

    public Builder readiness(ProbeSpec probe) {
      probes.put(ProbeTier.READINESS, probe);
      return this;
    }

    public Builder readiness(ProbeSpec.Builder probe) {
      return readiness(probe.build());
    }

    public Builder recovery(RecoveryPolicy recovery) {
      this.recovery = recovery;
      return this;
    }

    public HealthPolicy build() {
      return new HealthPolicy(probes, recovery);
    }
  }
}
