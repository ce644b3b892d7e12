package io.stackwright.core.admission.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.spi.AdmissionCheck;
import io.stackwright.api.tenancy.AdmissionRequest;
import io.stackwright.api.tenancy.PolicyMode;
import io.stackwright.api.tenancy.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission: the tenant's limit defaults, its policy level, its bounds and isolation, and the
 * host's {@link AdmissionCheck}s, in one pass whose problems join the platform's and the router's.
 * Host checks run in parallel on the orchestrator's executor, each bounded by the timeout; one that
 * throws or times out refuses the stack (fail closed) and the problem says so.
 */
public final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  /** The label every resource of a tenant's stack carries. */
  public static final String TENANT_LABEL = "io.stackwright.tenant";

  private final List<AdmissionCheck> checks;
  private final Duration timeout;
  private final ExecutorService executor;
  private final Function<String, Optional<String>> ownerOfStack;

  public Admission(
      List<AdmissionCheck> checks,
      Duration timeout,
      ExecutorService executor,
      Function<String, Optional<String>> ownerOfStack) {
    this.checks = List.copyOf(checks);
    this.timeout = timeout;
    this.executor = executor;
    this.ownerOfStack = ownerOfStack;
  }

  /**
   * What admission decided.
   *
   * @param stack the stack as it will be deployed: limits defaulted, resources labelled with the
   *     tenant
   * @param problems what refuses it (empty: admitted)
   * @param warnings policy violations admitted in warn mode
   * @param audits policy violations admitted in audit mode
   */
  public record Result(
      StackSpec stack,
      List<SpecProblem> problems,
      List<SpecProblem> warnings,
      List<SpecProblem> audits) {}

  /** Admits {@code stack} for {@code tenant} ({@code null}: no tenant, the host's checks only). */
  public Result admit(StackSpec stack, Tenant tenant) {
    StackSpec effective = stack;
    List<SpecProblem> problems = new ArrayList<>();
    List<SpecProblem> warnings = new ArrayList<>();
    List<SpecProblem> audits = new ArrayList<>();
    if (tenant != null) {
      effective = labelled(LimitDefaults.fill(stack, tenant.limits()), tenant.name());
      List<SpecProblem> violations =
          PodSecurity.check(effective, tenant.level(), tenant.allowedCapabilities());
      switch (tenant.mode()) {
        case ENFORCE -> problems.addAll(violations);
        case WARN -> warnings.addAll(violations);
        case AUDIT -> audits.addAll(violations);
      }
      problems.addAll(LimitDefaults.check(effective, tenant.limits(), tenant.name()));
      problems.addAll(Isolation.check(effective, tenant, ownerOfStack));
    }
    problems.addAll(hostChecks(new AdmissionRequest(effective, tenant)));
    for (SpecProblem warning : warnings) {
      LOG.warn("Admission of {} for tenant {}: {}", stack.name(), tenant.name(), warning);
    }
    for (SpecProblem audit : audits) {
      LOG.info("Admission audit of {} for tenant {}: {}", stack.name(), tenant.name(), audit);
    }
    return new Result(effective, problems, warnings, audits);
  }

  /** The policy mode's name for events. */
  static String mode(PolicyMode mode) {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  private List<SpecProblem> hostChecks(AdmissionRequest request) {
    if (checks.isEmpty()) {
      return List.of();
    }
    Map<AdmissionCheck, Future<List<SpecProblem>>> running = new LinkedHashMap<>();
    for (AdmissionCheck check : checks) {
      running.put(check, executor.submit(() -> check.check(request)));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<SpecProblem> problems = new ArrayList<>();
    for (Map.Entry<AdmissionCheck, Future<List<SpecProblem>>> e : running.entrySet()) {
      String name = safeName(e.getKey());
      try {
        List<SpecProblem> found =
            e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (found != null) {
          problems.addAll(found);
        }
      } catch (TimeoutException timedOut) {
        e.getValue().cancel(true);
        problems.add(
            SpecProblem.at(
                "",
                "admission check "
                    + name
                    + " did not answer within "
                    + timeout.toMillis()
                    + " ms; refused (admission fails closed)"));
      } catch (ExecutionException failed) {
        Throwable cause = failed.getCause();
        LOG.warn("Admission check {} failed on {}", name, request.stack().name(), cause);
        problems.add(
            SpecProblem.at(
                "",
                "admission check "
                    + name
                    + " failed ("
                    + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + "); refused (admission fails closed)"));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        problems.add(
            SpecProblem.at(
                "", "admission check " + name + " was interrupted; refused (fails closed)"));
      }
    }
    return problems;
  }

  private static String safeName(AdmissionCheck check) {
    try {
      return check.name();
    } catch (RuntimeException e) {
      return check.getClass().getName();
    }
  }

  /** {@code stack} with the tenant label on its services, containers and objects it creates. */
  static StackSpec labelled(StackSpec stack, String tenant) {
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    stack
        .services()
        .forEach(
            (k, s) ->
                services.put(
                    k,
                    s.toBuilder()
                        .label(TENANT_LABEL, tenant)
                        .deployLabel(TENANT_LABEL, tenant)
                        .build()));
    Map<String, NetworkSpec> networks = new LinkedHashMap<>();
    stack
        .networks()
        .forEach(
            (k, n) ->
                networks.put(
                    k,
                    n.external()
                        ? n
                        : new NetworkSpec(
                            n.key(),
                            n.name(),
                            n.driver(),
                            n.driverOptions(),
                            n.attachable(),
                            n.internal(),
                            n.external(),
                            n.subnets(),
                            with(n.labels(), tenant))));
    // the implicit default network is made by the platform from no spec of the stack's: declare
    // it, so that it carries the label too (a network's labels are not compared by a plan, so a
    // stack deployed before keeps its network unlabelled rather than seeing it recreated)
    if (!networks.containsKey(StackSpec.DEFAULT_NETWORK)
        && stack.services().values().stream()
            .flatMap(s -> StackSpec.effectiveNetworks(s).stream())
            .anyMatch(n -> n.network().equals(StackSpec.DEFAULT_NETWORK))) {
      networks.put(
          StackSpec.DEFAULT_NETWORK,
          new NetworkSpec(
              StackSpec.DEFAULT_NETWORK,
              null,
              null,
              Map.of(),
              false,
              false,
              false,
              List.of(),
              Map.of(TENANT_LABEL, tenant)));
    }
    Map<String, VolumeSpec> volumes = new LinkedHashMap<>();
    stack
        .volumes()
        .forEach(
            (k, v) ->
                volumes.put(
                    k,
                    v.external()
                        ? v
                        : new VolumeSpec(
                            v.key(),
                            v.name(),
                            v.driver(),
                            v.driverOptions(),
                            v.external(),
                            with(v.labels(), tenant))));
    Map<String, SecretSpec> secrets = new LinkedHashMap<>();
    stack
        .secrets()
        .forEach(
            (k, s) ->
                secrets.put(
                    k,
                    s.external()
                        ? s
                        : new SecretSpec(
                            s.key(),
                            s.name(),
                            s.external(),
                            s.content(),
                            with(s.labels(), tenant))));
    Map<String, ConfigSpec> configs = new LinkedHashMap<>();
    stack
        .configs()
        .forEach(
            (k, c) ->
                configs.put(
                    k,
                    c.external()
                        ? c
                        : new ConfigSpec(
                            c.key(),
                            c.name(),
                            c.external(),
                            c.content(),
                            with(c.labels(), tenant))));
    return new StackSpec(
        stack.name(), services, networks, volumes, secrets, configs, stack.extensions());
  }

  private static Map<String, String> with(Map<String, String> labels, String tenant) {
    Map<String, String> copy = new LinkedHashMap<>(labels);
    copy.put(TENANT_LABEL, tenant);
    return copy;
  }
}
