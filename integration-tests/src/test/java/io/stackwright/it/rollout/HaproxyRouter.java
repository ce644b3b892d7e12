package io.stackwright.it.rollout;

import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Router;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Router} backed by {@link HaproxyProxy}: each service of a route is a group of servers in
 * the proxy's backend, and {@link #setWeights} sets the group's server weights through HAProxy's
 * runtime API. Test scope only: the library's router is Traefik's (adapter-traefik).
 */
final class HaproxyRouter implements Router {
  private final HaproxyProxy proxy;

  HaproxyRouter(HaproxyProxy proxy) {
    this.proxy = proxy;
  }

  @Override
  public String name() {
    return "haproxy-test";
  }

  @Override
  public StackSpec prepare(StackSpec stack) {
    return stack;
  }

  @Override
  public void publish(StackSpec stack, EventListener events) {}

  @Override
  public void setWeights(
      String stack, String route, Map<String, Integer> weights, EventListener events) {
    // HAProxy takes one server at a time: raise before lowering, so that no moment has every
    // weight at 0 (which answers 503 "no server available").
    weights.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> proxy.setGroupWeight(e.getKey(), e.getValue()));
    events.onEvent(
        new OrchestratorEvent(
            Instant.now(),
            stack,
            route,
            "route " + route + " split " + new TreeMap<>(weights),
            new EventDetail.TrafficShifted(route, route, weights)));
  }

  @Override
  public void withdraw(String stack, EventListener events) {}

  /**
   * The share of 5xx answers the servers of {@code group} gave so far, from HAProxy's {@code show
   * stat}, or empty with fewer than {@code minimum} answers.
   */
  Optional<Double> errorRatio(String group, int minimum) {
    String csv = proxy.runtime("show stat");
    String[] header = csv.lines().findFirst().orElse("").replaceFirst("^# ", "").split(",");
    int name = column(header, "svname");
    int[] codes = {
      column(header, "hrsp_1xx"),
      column(header, "hrsp_2xx"),
      column(header, "hrsp_3xx"),
      column(header, "hrsp_4xx"),
      column(header, "hrsp_5xx"),
      column(header, "hrsp_other")
    };
    long total = 0;
    long errors = 0;
    for (String line : csv.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      if (f.length <= name || !f[name].matches(java.util.regex.Pattern.quote(group) + "\\d+")) {
        continue;
      }
      for (int i = 0; i < codes.length; i++) {
        long n = f[codes[i]].isEmpty() ? 0 : Long.parseLong(f[codes[i]]);
        total += n;
        if (i == 4) {
          errors += n;
        }
      }
    }
    return total < minimum ? Optional.empty() : Optional.of((double) errors / total);
  }

  private static int column(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("HAProxy's show stat has no column " + name);
  }
}
