package io.stackwright.api.tenancy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The most a tenant may use at once (Kubernetes' ResourceQuota): a resource without a limit is
 * unlimited.
 *
 * @param limits by resource
 */
public record TenantQuota(Map<QuotaResource, Long> limits) {
  public static final TenantQuota UNLIMITED = new TenantQuota(Map.of());

  public TenantQuota {
    EnumMap<QuotaResource, Long> copy = new EnumMap<>(QuotaResource.class);
    Objects.requireNonNull(limits, "limits")
        .forEach(
            (r, v) -> {
              if (v == null || v < 0) {
                throw new IllegalArgumentException(
                    "quota of " + r.id() + " cannot be negative (" + v + ")");
              }
              copy.put(Objects.requireNonNull(r, "resource"), v);
            });
    limits = java.util.Collections.unmodifiableMap(copy);
  }

  /** The limit of {@code resource}, empty when unlimited. */
  public Optional<Long> limit(QuotaResource resource) {
    return Optional.ofNullable(limits.get(resource));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TenantQuota}. */
  public static final class Builder {
    private final EnumMap<QuotaResource, Long> limits = new EnumMap<>(QuotaResource.class);

    private Builder() {}

    public Builder limit(QuotaResource resource, long amount) {
      limits.put(resource, amount);
      return this;
    }

    /** CPU limits of every replica together, in cores. */
    public Builder cpuLimits(double cores) {
      return limit(QuotaResource.CPU_LIMITS, Math.round(cores * 1e9));
    }

    public Builder cpuReservations(double cores) {
      return limit(QuotaResource.CPU_RESERVATIONS, Math.round(cores * 1e9));
    }

    public Builder memoryLimits(long bytes) {
      return limit(QuotaResource.MEMORY_LIMITS, bytes);
    }

    public Builder memoryReservations(long bytes) {
      return limit(QuotaResource.MEMORY_RESERVATIONS, bytes);
    }

    public Builder replicas(long replicas) {
      return limit(QuotaResource.REPLICAS, replicas);
    }

    public Builder services(long services) {
      return limit(QuotaResource.SERVICES, services);
    }

    public Builder stacks(long stacks) {
      return limit(QuotaResource.STACKS, stacks);
    }

    public Builder volumes(long volumes) {
      return limit(QuotaResource.VOLUMES, volumes);
    }

    public TenantQuota build() {
      return new TenantQuota(limits);
    }
  }
}
