package io.stackwright.api;

import java.util.Objects;

/**
 * A generic resource reserved for a service (Compose {@code
 * deploy.resources.reservations.generic_resources}), such as a GPU or an SSD that nodes advertise.
 *
 * <p>A resource is <em>discrete</em> when {@code value} is an integer string (Compose {@code
 * discrete_resource_spec}: a count, e.g. {@code kind=SSD, value="2"}) and <em>named</em> otherwise
 * (Compose {@code named_resource_spec}: one specific resource, e.g. {@code kind=GPU,
 * value="UUID1"}). See {@link #isDiscrete()}.
 *
 * @param kind the resource kind, e.g. {@code GPU}
 * @param value a count for a discrete resource, a name for a named one
 */
public record GenericResource(String kind, String value) {
  public GenericResource {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("generic resource needs a kind");
    }
    Objects.requireNonNull(value, "value");
  }

  /** A discrete resource: {@code count} units of {@code kind}. */
  public static GenericResource discrete(String kind, long count) {
    return new GenericResource(kind, Long.toString(count));
  }

  /** A named resource: the resource of {@code kind} called {@code name}. */
  public static GenericResource named(String kind, String name) {
    return new GenericResource(kind, name);
  }

  /** Whether {@code value} is an integer string, that is, a count of a discrete resource. */
  public boolean isDiscrete() {
    return value.matches("-?[0-9]+");
  }
}
