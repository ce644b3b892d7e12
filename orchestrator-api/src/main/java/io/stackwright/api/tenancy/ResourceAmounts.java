package io.stackwright.api.tenancy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Amounts of the resources a quota counts; a resource not in the map is 0.
 *
 * @param amounts by resource, none negative
 */
public record ResourceAmounts(Map<QuotaResource, Long> amounts) {
  public static final ResourceAmounts ZERO = new ResourceAmounts(Map.of());

  public ResourceAmounts {
    EnumMap<QuotaResource, Long> copy = new EnumMap<>(QuotaResource.class);
    Objects.requireNonNull(amounts, "amounts")
        .forEach(
            (resource, amount) -> {
              Objects.requireNonNull(resource, "resource");
              if (amount == null || amount < 0) {
                throw new IllegalArgumentException(
                    resource.id() + ": an amount cannot be negative (" + amount + ")");
              }
              if (amount > 0) {
                copy.put(resource, amount);
              }
            });
    amounts = java.util.Collections.unmodifiableMap(copy);
  }

  public long get(QuotaResource resource) {
    return amounts.getOrDefault(resource, 0L);
  }

  /** These amounts with {@code resource} set to {@code amount}. */
  public ResourceAmounts with(QuotaResource resource, long amount) {
    EnumMap<QuotaResource, Long> copy = new EnumMap<>(QuotaResource.class);
    copy.putAll(amounts);
    copy.put(resource, amount);
    return new ResourceAmounts(copy);
  }

  public ResourceAmounts plus(ResourceAmounts other) {
    EnumMap<QuotaResource, Long> sum = new EnumMap<>(QuotaResource.class);
    for (QuotaResource r : QuotaResource.values()) {
      sum.put(r, Math.addExact(get(r), other.get(r)));
    }
    return new ResourceAmounts(sum);
  }

  /** These amounts less {@code other}, resource by resource, never below 0. */
  public ResourceAmounts minusFloor(ResourceAmounts other) {
    EnumMap<QuotaResource, Long> rest = new EnumMap<>(QuotaResource.class);
    for (QuotaResource r : QuotaResource.values()) {
      rest.put(r, Math.max(0, get(r) - other.get(r)));
    }
    return new ResourceAmounts(rest);
  }

  /** The larger of the two, resource by resource. */
  public ResourceAmounts max(ResourceAmounts other) {
    EnumMap<QuotaResource, Long> max = new EnumMap<>(QuotaResource.class);
    for (QuotaResource r : QuotaResource.values()) {
      max.put(r, Math.max(get(r), other.get(r)));
    }
    return new ResourceAmounts(max);
  }

  public boolean isZero() {
    return amounts.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    amounts.forEach(
        (r, a) ->
            text.append(text.length() > 1 ? ", " : "")
                .append(r.id())
                .append('=')
                .append(r.format(a)));
    return text.append('}').toString();
  }
}
