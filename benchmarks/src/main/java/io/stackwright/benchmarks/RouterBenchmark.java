package io.stackwright.benchmarks;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import io.stackwright.traefik.RoutedStacks;
import io.stackwright.traefik.TraefikProvider;
import io.stackwright.traefik.TraefikRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the Traefik router on a warm JVM for a stack of {@code n} copies of the richest routed
 * service of the tests (two routes, one weighted, nine middlewares, sticky cookie, health check):
 * validating, preparing the Swarm labels, rendering the file-provider YAML, and {@code setWeights},
 * which re-writes the file atomically. Prints the median of each. Run it with {@code
 * scripts/bench-router.sh}. There is no target in issue #7; the numbers show the router adds no
 * noticeable time to a deployment.
 */
public final class RouterBenchmark {
  private RouterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    StackSpec stack = stack(services);
    Path dir = Files.createTempDirectory("router-bench");
    try {
      TraefikRouter labels = TraefikRouter.builder(TraefikProvider.SWARM).directory(dir).build();
      TraefikRouter file = TraefikRouter.file(dir.resolve("file"));
      file.publish(stack, e -> {});
      for (int i = 0; i < 20; i++) { // warm up
        labels.validate(stack);
        labels.prepare(stack);
        file.render(stack);
      }
      int[] flip = {0};
      System.out.printf(
          "router benchmark: %d routed services (each with a route split with one shared canary),"
              + " median of %d rounds%n",
          services, rounds);
      print("validate", median(rounds, () -> labels.validate(stack)));
      print("prepare (Swarm labels)", median(rounds, () -> labels.prepare(stack)));
      print("render (file YAML)", median(rounds, () -> file.render(stack)));
      print(
          "setWeights (atomic file rewrite)",
          median(
              rounds,
              () -> {
                int w = flip[0]++ % 2 == 0 ? 10 : 90;
                file.setWeights(
                    "bench", "web0/canary", Map.of("web0", 100 - w, "web-canary", w), e -> {});
                return null;
              }));
      System.out.printf(
          "  file size: %d bytes%n", Files.size(dir.resolve("file").resolve("bench.yml")));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static StackSpec stack(int n) {
    StackSpec template = RoutedStacks.everything("bench");
    ServiceSpec web = template.service("web");
    StackSpec.Builder b = template.toBuilder();
    for (int i = 0; i < n; i++) {
      ServiceSpec.Builder copy = ServiceSpec.builder("web" + i, web.image());
      web.networks().forEach(copy::network);
      b.service(copy.routing(withMiddlewares(web, i)).build());
    }
    return b.build();
  }

  private static RoutingPolicy withMiddlewares(ServiceSpec web, int i) {
    RoutingPolicy.Builder policy =
        RoutingPolicy.builder()
            .port(8080)
            .network("front")
            .loadBalancer(web.routing().loadBalancer())
            .route(
                Route.builder("main")
                    .host("s" + i + ".example.com")
                    .tls(Tls.resolver("le"))
                    .build())
            .route(
                Route.builder("canary")
                    .host("c" + i + ".example.com")
                    .tls(Tls.DEFAULT)
                    .weight("web" + i, 90)
                    .weight("web-canary", 10)
                    .build());
    web.routing().middlewares().forEach(policy::middleware);
    return policy.build();
  }

  private static double median(int rounds, Supplier<?> work) {
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      work.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[rounds / 2];
  }

  private static void print(String what, double ms) {
    System.out.printf("  %-34s %8.2f ms%n", what, ms);
  }
}
