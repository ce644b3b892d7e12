package io.stackwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffCommandTest {
  private static final Instant UPDATED_AT = Instant.parse("2026-12-04T03:50:12.123456789Z");

  private static Plan plan() {
    return new Plan(
        "shop",
        List.of(
            new Change.Update(
                ResourceKind.SERVICE,
                "web",
                List.of(new FieldChange("Labels[team]", "ops", "shop")),
                7,
                UPDATED_AT),
            new Change.Update(
                ResourceKind.SERVICE, "db", List.of(new FieldChange("replicas", "1", "2")), 0)));
  }

  @Test
  void aDifferingResourceShowsWhenTheEngineSaysItLastChangedWhereItTells() {
    assertThat(DiffCommand.text(plan()))
        .contains("~ service web (live changed 2026-12-04T03:50:12.123456789Z)")
        .contains("~ service db\n");

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> changes =
        (List<Map<String, Object>>) DiffCommand.json(plan()).get("changes");
    assertThat(changes.get(0)).containsEntry("changedAt", "2026-12-04T03:50:12.123456789Z");
    assertThat(changes.get(1)).doesNotContainKey("changedAt");
  }
}
