package io.stackwright.docker.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.spi.Lease;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseLabelsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");

  @Test
  void aLeaseReadsBackFromItsLabels() {
    ObjectNode labels = JsonNodeFactory.instance.objectNode();
    Lease lease = new Lease("host-a", NOW.plusSeconds(30));
    LeaseLabels.write(labels, lease);
    assertThat(labels.path(LeaseLabels.HOLDER).asText()).isEqualTo("host-a");
    assertThat(LeaseLabels.read(labels)).contains(lease);
  }

  @Test
  void anUnreadableExpiryIsNoLease() {
    ObjectNode labels = JsonNodeFactory.instance.objectNode();
    labels.put(LeaseLabels.HOLDER, "host-a").put(LeaseLabels.EXPIRES, "soon");
    assertThat(LeaseLabels.read(labels)).isEmpty();
    assertThat(LeaseLabels.read(JsonNodeFactory.instance.objectNode())).isEmpty();
  }

  @Test
  void onlyAnotherHoldersUnexpiredLeaseKeepsOthersOut() {
    Lease theirs = new Lease("host-b", NOW.plusSeconds(5));
    assertThat(LeaseLabels.heldByAnother(theirs, "host-a", NOW)).isTrue();
    assertThat(LeaseLabels.heldByAnother(theirs, "host-b", NOW)).isFalse();
    assertThat(LeaseLabels.heldByAnother(theirs, "host-a", NOW.plusSeconds(5))).isFalse();
    assertThat(LeaseLabels.nobody(NOW).heldBy("", NOW)).isFalse();
  }
}
