package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.Placement;
import io.stackwright.tck.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodePlacementTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Three managers and workers as GET /nodes gives them: one drained, one down. */
  private static JsonNode nodes() throws Exception {
    return JSON.readTree(
        """
        [
          {"ID": "m1", "Spec": {"Role": "manager", "Availability": "active",
                                "Labels": {"zone": "a"}},
           "Description": {"Hostname": "alpha", "Platform": {"OS": "linux",
                           "Architecture": "x86_64"}, "Engine": {"Labels": {"ssd": "true"}}},
           "Status": {"State": "ready"}},
          {"ID": "w1", "Spec": {"Role": "worker", "Availability": "active",
                                "Labels": {"zone": "b"}},
           "Description": {"Hostname": "beta", "Platform": {"OS": "linux",
                           "Architecture": "aarch64"}, "Engine": {"Labels": {}}},
           "Status": {"State": "ready"}},
          {"ID": "w2", "Spec": {"Role": "worker", "Availability": "active", "Labels": {}},
           "Description": {"Hostname": "gamma", "Platform": {"OS": "linux"}},
           "Status": {"State": "ready"}},
          {"ID": "w3", "Spec": {"Role": "worker", "Availability": "drain", "Labels": {}},
           "Description": {"Hostname": "delta"}, "Status": {"State": "ready"}},
          {"ID": "w4", "Spec": {"Role": "worker", "Availability": "active", "Labels": {}},
           "Description": {"Hostname": "epsilon"}, "Status": {"State": "down"}}
        ]
        """);
  }

  private static int count(String... constraints) throws Exception {
    JsonNode all = nodes();
    NodePlacement placement =
        new NodePlacement(() -> all, Clock.systemUTC(), Duration.ofSeconds(10));
    return placement.count(new Placement(List.of(constraints), List.of(), null));
  }

  @Test
  void everyNodeThatTakesTasksWithoutConstraints() throws Exception {
    assertThat(count()).as("drained and down nodes run no task").isEqualTo(3);
  }

  @Test
  void constraintsAsTheSchedulerMatchesThem() throws Exception {
    assertThat(count("node.role==manager")).isEqualTo(1);
    assertThat(count("node.role != manager")).isEqualTo(2);
    assertThat(count("node.role==worker", "node.labels.zone==b")).isEqualTo(1);
    assertThat(count("node.labels.zone!=a")).as("a node without the label is not a").isEqualTo(2);
    assertThat(count("node.hostname==ALPHA")).as("values without regard to case").isEqualTo(1);
    assertThat(count("node.id==w2")).isEqualTo(1);
    assertThat(count("node.platform.arch==aarch64")).isEqualTo(1);
    assertThat(count("engine.labels.ssd==true")).isEqualTo(1);
    assertThat(count("node.platform.os==windows")).isZero();
  }

  @Test
  void aConstraintOnAnAttributeNotModelledCountsTheNode() throws Exception {
    assertThat(count("node.csi.driver==x")).isEqualTo(3);
  }

  @Test
  void theNodeListIsReadAgainOnlyAfterItsTtl() throws Exception {
    JsonNode all = nodes();
    AtomicInteger reads = new AtomicInteger();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    NodePlacement placement =
        new NodePlacement(
            () -> {
              reads.incrementAndGet();
              return all;
            },
            clock,
            Duration.ofSeconds(10));
    placement.count(Placement.ANYWHERE);
    clock.advance(Duration.ofSeconds(9));
    placement.count(Placement.ANYWHERE);
    assertThat(reads).hasValue(1);
    clock.advance(Duration.ofSeconds(1));
    placement.count(Placement.ANYWHERE);
    assertThat(reads).hasValue(2);
  }
}
