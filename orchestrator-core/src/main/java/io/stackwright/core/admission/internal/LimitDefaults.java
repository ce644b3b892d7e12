package io.stackwright.core.admission.internal;

import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.tenancy.LimitRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tenant's {@link LimitRange}: fills in missing limits and reservations, checks the bounds. */
public final class LimitDefaults {
  private LimitDefaults() {}

  /** {@code stack} with each service's unset CPU and memory limits and reservations defaulted. */
  public static StackSpec fill(StackSpec stack, LimitRange range) {
    if (range.defaultLimits().isEmpty() && range.defaultReservations().isEmpty()) {
      return stack;
    }
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    boolean changed = false;
    for (ServiceSpec service : stack.services().values()) {
      Resources r = service.resources();
      ResourceLimits limits = defaulted(r.limits(), range.defaultLimits());
      ResourceLimits reservations = defaulted(r.reservations(), range.defaultReservations());
      if (limits.equals(r.limits()) && reservations.equals(r.reservations())) {
        services.put(service.name(), service);
        continue;
      }
      changed = true;
      services.put(
          service.name(),
          service.toBuilder()
              .resources(new Resources(limits, reservations, r.genericResources(), r.devices()))
              .build());
    }
    if (!changed) {
      return stack;
    }
    return new StackSpec(
        stack.name(),
        services,
        stack.networks(),
        stack.volumes(),
        stack.secrets(),
        stack.configs(),
        stack.extensions());
  }

  private static ResourceLimits defaulted(ResourceLimits set, ResourceLimits defaults) {
    return new ResourceLimits(
        set.nanoCpus() == 0 ? defaults.nanoCpus() : set.nanoCpus(),
        set.memoryBytes() == 0 ? defaults.memoryBytes() : set.memoryBytes(),
        set.pids() == 0 ? defaults.pids() : set.pids());
  }

  /** Services whose (defaulted) limits or reservations fall outside the range's min and max. */
  public static List<SpecProblem> check(StackSpec stack, LimitRange range, String tenant) {
    List<SpecProblem> problems = new java.util.ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name() + ".deploy.resources";
      ResourceLimits limits = service.resources().limits();
      ResourceLimits reservations = service.resources().reservations();
      bound(
          problems,
          at + ".limits.cpus",
          "CPU limit",
          limits.nanoCpus(),
          range.min().nanoCpus(),
          range.max().nanoCpus(),
          tenant,
          true);
      bound(
          problems,
          at + ".limits.memory",
          "memory limit",
          limits.memoryBytes(),
          range.min().memoryBytes(),
          range.max().memoryBytes(),
          tenant,
          false);
      bound(
          problems,
          at + ".reservations.cpus",
          "CPU reservation",
          reservations.nanoCpus(),
          0,
          range.max().nanoCpus(),
          tenant,
          true);
      bound(
          problems,
          at + ".reservations.memory",
          "memory reservation",
          reservations.memoryBytes(),
          0,
          range.max().memoryBytes(),
          tenant,
          false);
    }
    return problems;
  }

  private static void bound(
      List<SpecProblem> problems,
      String path,
      String what,
      long value,
      long min,
      long max,
      String tenant,
      boolean cpu) {
    if (min > 0 && value < min) {
      problems.add(
          SpecProblem.at(
              path,
              (value == 0 ? "no " + what : what + " " + format(value, cpu))
                  + " is below tenant "
                  + tenant
                  + "'s minimum of "
                  + format(min, cpu)));
    }
    if (max > 0 && value > max) {
      problems.add(
          SpecProblem.at(
              path,
              what
                  + " "
                  + format(value, cpu)
                  + " is above tenant "
                  + tenant
                  + "'s maximum of "
                  + format(max, cpu)));
    }
  }

  private static String format(long value, boolean cpu) {
    return cpu
        ? io.stackwright.api.tenancy.QuotaResource.CPU_LIMITS.format(value)
        : io.stackwright.api.tenancy.QuotaResource.MEMORY_LIMITS.format(value);
  }
}
