package io.stackwright.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerMetrics metrics = MicrometerMetrics.of(registry);

  @Nested
  @DisplayName("counters")
  class Counters {
    @Test
    void addUpPerNameAndTags() {
      metrics.count("stackwright.jobs.submitted", Map.of("stack", "shop", "kind", "deploy"), 1);
      metrics.count("stackwright.jobs.submitted", Map.of("kind", "deploy", "stack", "shop"), 2);
      metrics.count("stackwright.jobs.submitted", Map.of("stack", "blog", "kind", "deploy"), 1);

      assertThat(
              registry
                  .get("stackwright.jobs.submitted")
                  .tags("stack", "shop", "kind", "deploy")
                  .counter()
                  .count())
          .isEqualTo(3.0);
      assertThat(registry.get("stackwright.jobs.submitted").counters()).hasSize(2);
    }

    @Test
    void aZeroIncrementCreatesTheSeriesAndANegativeOneIsIgnored() {
      metrics.count("stackwright.crash_loops", Map.of("stack", "shop"), 0);
      metrics.count("stackwright.crash_loops", Map.of("stack", "shop"), -5);
      metrics.count("stackwright.crash_loops", Map.of("stack", "shop"), Double.NaN);

      assertThat(registry.get("stackwright.crash_loops").counter().count()).isZero();
    }

    @Test
    void carryTheirDescription() {
      metrics.count("stackwright.crash_loops", Map.of("stack", "shop"), 1);

      assertThat(registry.get("stackwright.crash_loops").counter().getId().getDescription())
          .isEqualTo("Times a service entered a crash loop");
    }
  }

  @Nested
  @DisplayName("gauges")
  class Gauges {
    @Test
    void holdTheLastValueStronglyAcrossGarbageCollections() {
      metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "service", "web"), 2);
      metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "service", "web"), 3);
      System.gc();

      Gauge gauge = registry.get("stackwright.replicas.ready").tags("service", "web").gauge();
      assertThat(gauge.value()).isEqualTo(3.0);
      assertThat(registry.get("stackwright.replicas.ready").gauges()).hasSize(1);
    }

    @Test
    void eventsThatDifferOnlyInDroppedTagsShareOneValue() {
      metrics.gauge("stackwright.jobs.running", Map.of("kind", "deploy", "job", "j-1"), 1);
      metrics.gauge("stackwright.jobs.running", Map.of("kind", "deploy", "job", "j-2"), 4);

      assertThat(registry.get("stackwright.jobs.running").gauges()).hasSize(1);
      assertThat(registry.get("stackwright.jobs.running").gauge().value()).isEqualTo(4.0);
    }
  }

  @Nested
  @DisplayName("timers")
  class Timers {
    @Test
    void recordCountTotalAndMax() {
      Map<String, String> tags = Map.of("operation", "containerCreate", "outcome", "success");
      metrics.timing("stackwright.engine.requests", tags, Duration.ofMillis(20));
      metrics.timing("stackwright.engine.requests", tags, Duration.ofMillis(40));

      Timer timer = registry.get("stackwright.engine.requests").timer();
      assertThat(timer.count()).isEqualTo(2);
      assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60.0);
      assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
    }
  }

  @Nested
  @DisplayName("bounded tags")
  class BoundedTags {
    @Test
    void unknownTagsAreDroppedAndTheEventKept() {
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("stack", "shop");
      tags.put("container", "3f2a9c");
      metrics.count("stackwright.replica.crashes", tags, 1);
      tags.put("container", "77bd01");
      metrics.count("stackwright.replica.crashes", tags, 1);

      Meter.Id id = registry.get("stackwright.replica.crashes").counter().getId();
      assertThat(id.getTags()).isEqualTo(Tags.of("stack", "shop").stream().toList());
      assertThat(registry.get("stackwright.replica.crashes").counter().count()).isEqualTo(2.0);
    }

    @Test
    void aRefusingRecorderSkipsEventsWithUnknownTags() {
      MicrometerMetrics strict =
          MicrometerMetrics.builder(registry)
              .unknownTags(MicrometerMetrics.UnknownTags.REFUSE)
              .build();
      strict.count("stackwright.replica.crashes", Map.of("stack", "shop", "task", "t1"), 1);
      strict.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "task", "t1"), 1);
      strict.count("stackwright.replica.crashes", Map.of("stack", "shop"), 1);

      assertThat(registry.find("stackwright.replicas.ready").meters()).isEmpty();
      assertThat(registry.get("stackwright.replica.crashes").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theHostMayAllowABoundedTagButNeverAnInstanceId() {
      MicrometerMetrics wider = MicrometerMetrics.builder(registry).allowTag("region").build();
      wider.count("stackwright.replica.crashes", Map.of("stack", "shop", "region", "eu"), 1);

      assertThat(registry.get("stackwright.replica.crashes").tag("region", "eu").counter().count())
          .isEqualTo(1.0);
      assertThat(wider.allowedTags())
          .contains("region")
          .containsAll(MicrometerMetrics.DEFAULT_ALLOWED_TAGS);
      assertThatThrownBy(() -> MicrometerMetrics.builder(registry).allowTag("container_id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("new time series");
      assertThatThrownBy(() -> MicrometerMetrics.builder(registry).allowTag("Job"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNullTagValueBecomesUnknown() {
      Map<String, String> tags = new HashMap<>();
      tags.put("stack", null);
      metrics.count("stackwright.crash_loops", tags, 1);

      assertThat(registry.get("stackwright.crash_loops").tag("stack", "unknown").counter().count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void aRegistryThatRefusesAMeterDoesNotFailTheCaller() {
    registry
        .config()
        .meterFilter(
            new io.micrometer.core.instrument.config.MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("stackwright.crash_loops")) {
                  throw new IllegalStateException("refused by the host");
                }
                return id;
              }
            });

    metrics.count("stackwright.crash_loops", Map.of("stack", "shop"), 1);
    metrics.count("stackwright.replica.crashes", Map.of("stack", "shop"), 1);

    assertThat(registry.find("stackwright.crash_loops").meters()).isEmpty();
    assertThat(registry.get("stackwright.replica.crashes").counter().count()).isEqualTo(1.0);
  }

  @Test
  void forgettingAStackRemovesItsMetersOnly() {
    metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "service", "web"), 2);
    metrics.count("stackwright.crash_loops", Map.of("stack", "shop", "service", "web"), 1);
    metrics.timing("stackwright.probe.duration", Map.of("stack", "shop"), Duration.ofMillis(3));
    metrics.gauge("stackwright.replicas.ready", Map.of("stack", "blog", "service", "web"), 1);

    metrics.forgetStack("shop");

    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getTag("stack"))
        .containsOnly("blog");
    metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "service", "web"), 5);
    assertThat(registry.get("stackwright.replicas.ready").tag("stack", "shop").gauge().value())
        .isEqualTo(5.0);
  }
}
