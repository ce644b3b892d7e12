package io.stackwright.cli;

import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.api.tenancy.TenantUsage;
import io.stackwright.core.Orchestrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackwright quota}: tenants' quotas and what they use, from the store every Stackwright
 * process of the host shares: {@code show [TENANT]} and {@code set TENANT --limit resource=amount}.
 */
@Command(
    name = "quota",
    mixinStandardHelpOptions = true,
    description = "Shows tenants' quotas and use; sets a tenant's quota.",
    subcommands = {QuotaCommand.Show.class, QuotaCommand.Set.class})
public final class QuotaCommand implements Runnable {
  @Mixin StackwrightCli.Common common;

  @Override
  public void run() {
    new Show(common, null).call();
  }

  static Map<String, Object> json(TenantUsage usage) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", usage.tenant());
    out.put("stacks", usage.stacks());
    Map<String, Object> resources = new LinkedHashMap<>();
    for (QuotaResource r : QuotaResource.values()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("used", usage.used().get(r));
      one.put("reserved", usage.reserved().get(r));
      one.put("quota", usage.quota().limit(r).orElse(null));
      resources.put(r.id(), one);
    }
    out.put("resources", resources);
    return out;
  }

  static String human(TenantUsage usage) {
    StringBuilder text =
        new StringBuilder("tenant ")
            .append(usage.tenant())
            .append(" (stacks: ")
            .append(usage.stacks().isEmpty() ? "none" : String.join(", ", usage.stacks()))
            .append(")\n")
            .append(
                String.format("  %-20s %-14s %-14s %s", "RESOURCE", "USED", "RESERVED", "QUOTA"));
    for (QuotaResource r : QuotaResource.values()) {
      text.append('\n')
          .append(
              String.format(
                  "  %-20s %-14s %-14s %s",
                  r.id(),
                  r.format(usage.used().get(r)),
                  r.format(usage.reserved().get(r)),
                  usage.quota().limit(r).map(r::format).orElse("unlimited")));
    }
    return text.toString();
  }

  @Command(name = "show", description = "Shows the quota and use of one tenant, or of all.")
  static final class Show implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TENANT")
    String tenant;

    Show() {}

    Show(StackwrightCli.Common common, String tenant) {
      this.common = common;
      this.tenant = tenant;
    }

    @Override
    public Integer call() {
      try (Orchestrator orchestrator = common.orchestrator()) {
        List<String> tenants =
            tenant != null ? List.of(tenant) : orchestrator.store().quotas().tenants();
        List<Object> machine = new ArrayList<>();
        List<String> human = new ArrayList<>();
        for (String name : tenants) {
          TenantUsage usage = orchestrator.usage(name);
          machine.add(json(usage));
          human.add(human(usage));
        }
        common.print(machine, human.isEmpty() ? "no tenants" : String.join("\n", human));
        return StackwrightCli.OK;
      }
    }
  }

  @Command(
      name = "set",
      description =
          "Replaces a tenant's quota, e.g. --limit replicas=20 --limit cpu-limits=4"
              + " --limit memory-limits=8g; no --limit lifts it.")
  static final class Set implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--limit",
        paramLabel = "RESOURCE=AMOUNT",
        description =
            "cpu-limits, cpu-reservations (cores), memory-limits, memory-reservations (bytes, or"
                + " with k, m, g), replicas, services, stacks, volumes")
    List<String> limits = new ArrayList<>();

    @Override
    public Integer call() {
      TenantQuota.Builder quota = TenantQuota.builder();
      for (String limit : limits) {
        int eq = limit.indexOf('=');
        if (eq < 1) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "--limit takes RESOURCE=AMOUNT, not " + limit);
        }
        QuotaResource resource;
        try {
          resource = QuotaResource.of(limit.substring(0, eq).trim());
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "unknown quota resource in " + limit);
        }
        quota.limit(resource, amount(resource, limit.substring(eq + 1).trim()));
      }
      try (Orchestrator orchestrator = common.orchestrator()) {
        orchestrator.store().quotas().setQuota(tenant, quota.build());
        TenantUsage usage = orchestrator.usage(tenant);
        common.print(json(usage), human(usage));
        return StackwrightCli.OK;
      }
    }

    static long amount(QuotaResource resource, String text) {
      String t = text.toLowerCase(Locale.ROOT);
      switch (resource) {
        case CPU_LIMITS, CPU_RESERVATIONS:
          return Math.round(Double.parseDouble(t) * 1e9);
        case MEMORY_LIMITS, MEMORY_RESERVATIONS:
          long unit = 1;
          char last = t.charAt(t.length() - 1);
          if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
          }
          return Math.round(Double.parseDouble(t) * unit);
        default:
          return Long.parseLong(t);
      }
    }
  }
}
