package io.stackwright.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.state.TaskStatus;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDetailTest {

  /** One instance of a detail record, every field at a plain value. */
  private static EventDetail sample(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
    Object[] values = new Object[components.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      values[i] =
          t == int.class
              ? 0
              : t == long.class
                  ? 0L
                  : t == boolean.class
                      ? false
                      : t == String.class
                          ? "x"
                          : t == Duration.class
                              ? Duration.ZERO
                              : t == Map.class
                                  ? Map.of()
                                  : t.isEnum() ? t.getEnumConstants()[0] : null;
    }
    Constructor<?> canonical = type.getDeclaredConstructor(types);
    return (EventDetail) canonical.newInstance(values);
  }

  @Test
  void everyKindHasExactlyOneRecordAndEveryRecordOneKind() throws Exception {
    Map<EventType, Class<?>> byType = new EnumMap<>(EventType.class);
    for (Class<?> permitted : EventDetail.class.getPermittedSubclasses()) {
      assertThat(permitted.isRecord()).as(permitted.getName()).isTrue();
      EventType type = sample(permitted).type();
      Class<?> before = byType.put(type, permitted);
      assertThat(before).as(type + " has two records").isNull();
    }
    assertThat(byType.keySet()).containsExactlyInAnyOrder(EventType.values());
  }

  @Test
  void attributesAreTheDetailsFieldsAsTextWithoutTheUnknownOnes() {
    EventDetail.ReplicaReplaced replaced =
        new EventDetail.ReplicaReplaced("web", "old1", "new1", 2, "repair");
    assertThat(replaced.attributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "service", "web",
                "oldReplica", "old1",
                "newReplica", "new1",
                "slot", "2",
                "reason", "repair"));
    EventDetail.TaskStateChanged task =
        new EventDetail.TaskStateChanged(
            "web", "t1", 1, TaskStatus.FAILED, null, null, null, 137, null, null);
    assertThat(task.attributes())
        .containsEntry("state", "FAILED")
        .containsEntry("health", "NONE")
        .containsEntry("exitCode", "137")
        .doesNotContainKeys("desired", "containerId", "error", "node");
    assertThat(new EventDetail.TrafficShifted("web", "web", Map.of("web", 0, "web-next", 100)))
        .extracting(EventDetail::attributes)
        .isEqualTo(
            Map.of(
                "service", "web", "route", "web", "weights.web", "0", "weights.web-next", "100"));
  }

  @Test
  void anEventTakesItsKindAndAttributesFromItsDetail() {
    OrchestratorEvent event =
        new OrchestratorEvent(
            Instant.EPOCH,
            "shop",
            null,
            "stack shop was removed",
            new EventDetail.StackRemoved(true, 7));
    assertThat(event.type()).isEqualTo(EventType.STACK_REMOVED);
    assertThat(event.attributes()).isEqualTo(Map.of("volumesRemoved", "true", "job", "7"));
    assertThat(event.toString()).contains("STACK_REMOVED shop: stack shop was removed");
  }
}
