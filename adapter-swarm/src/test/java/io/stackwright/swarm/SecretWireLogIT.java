package io.stackwright.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.testing.SecretGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No log level prints a secret's or a config's body: a JVM of its own, with every logger at TRACE
 * (docker-java's HTTP client wire and header logs included), deploys a stack with a marker secret
 * and a marker config to the real Swarm; its whole output is scanned for the markers in plain,
 * base64 and hex. A JVM of its own because slf4j-simple and the HTTP client fix their levels when
 * their loggers are first made.
 */
class SecretWireLogIT {
  static final String SECRET_MARKER = "swh-marker-secret-7f3a9c2e51";
  static final String CONFIG_MARKER = "swh-marker-config-0b6d84e1f9";

  @TempDir Path dir;

  @Test
  void theWireLogAtTraceNeverShowsTheBodyOfASecretOrConfig() throws Exception {
    SecretGuard.register("wire-log-secret-marker", SECRET_MARKER);
    Path out = dir.resolve("out.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace");
    command.add("-XX:TieredStopAtLevel=1"); // a short-lived child: C1 and the serial collector
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Probe.class.getName());
    command.add("swtest-wirelog-" + Long.toString(System.nanoTime() % 1_000_000, 36));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the probe finished").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(tail(output)).isZero();

    // the control: the wire log was on and printed request bodies (the service's own JSON)
    assertThat(output).contains("org.apache.hc.client5.http.wire").contains("\"TaskTemplate\"");
    assertThat(output).contains("PROBE DEPLOYED");
    for (String marker : List.of(SECRET_MARKER, CONFIG_MARKER)) {
      byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
      assertThat(output)
          .doesNotContain(marker)
          .doesNotContain(Base64.getEncoder().encodeToString(bytes))
          // a base64 run not aligned with the marker's start still holds this middle part
          .doesNotContain(Base64.getEncoder().encodeToString(marker.substring(3, 24).getBytes()))
          .doesNotContain(HexFormat.of().formatHex(bytes))
          .doesNotContain(HexFormat.of().withUpperCase().formatHex(bytes));
    }
  }

  private static String tail(String output) {
    return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
  }

  /** Deploys the marker stack, waits for it, removes it. */
  public static final class Probe {
    public static void main(String[] args) {
      String name = args[0];
      try (SwarmTestSupport support = new SwarmTestSupport()) {
        StackSpec stack =
            StackSpec.builder(name)
                .secret(SecretSpec.of("token", FileContent.secret(SECRET_MARKER)))
                .config(ConfigSpec.of("conf", FileContent.plain(CONFIG_MARKER)))
                .service(
                    ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                        .secret("token")
                        .config("conf", "/conf.txt")
                        .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                        .stopGracePeriod(Duration.ofSeconds(1))
                        .build())
                .build();
        try {
          support.platform.apply(stack, support.platform.plan(stack), EventListener.none());
          System.out.println("PROBE DEPLOYED");
        } finally {
          support.platform.remove(name, RemoveOptions.withVolumes(), EventListener.none());
        }
      }
    }
  }
}
