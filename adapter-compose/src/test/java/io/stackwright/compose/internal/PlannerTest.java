package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.docker.internal.ContentDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final ContentDigest DIGEST =
      ContentDigest.withKey("a test key of 32 bytes, not a secret".getBytes());

  private static final String IMAGE_ID = "sha256:1111";

  private static Container container(
      String service, int n, String hash, String state, Integer exit) {
    return new Container(
        "id-" + service + "-" + n,
        "p-" + service + "-" + n,
        service,
        n,
        state,
        exit,
        hash,
        "img",
        IMAGE_ID,
        n,
        Map.of(ComposeNames.SERVICE, service));
  }

  private static Observed.Project observed(
      StackSpec stack, List<Container> containers, boolean networksExist) {
    Map<String, Observed.Network> networks = new HashMap<>();
    if (networksExist) {
      for (String key : Planner.usedNetworks(stack)) {
        String name = ComposeNames.network(stack, key);
        networks.put(name, new Observed.Network("n" + key, name, Map.of(), List.of()));
      }
    }
    return new Observed.Project(
        stack.name(), containers, networks, List.of(), Map.of(), Map.of("img", IMAGE_ID), Set.of());
  }

  private static StackSpec stack(int replicas, String env) {
    return StackSpec.builder("p")
        .network(NetworkSpec.of("backend"))
        .service(ServiceSpec.builder("db", "img").network("backend").build())
        .service(
            ServiceSpec.builder("web", "img")
                .network("backend")
                .env("E", env)
                .replicas(replicas)
                .dependsOn("db", new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, true, true))
                .build())
        .build();
  }

  private static List<Container> running(StackSpec stack) {
    List<Container> list = new ArrayList<>();
    Map<String, String> hashes = Planner.hashes(stack, DIGEST);
    stack
        .services()
        .forEach(
            (k, s) -> {
              for (int i = 1; i <= s.replicas(); i++) {
                list.add(container(k, i, hashes.get(k), "running", null));
              }
            });
    return list;
  }

  @Test
  void aNewStackIsCreatedNetworksFirstThenLeavesFirst() {
    StackSpec stack = stack(1, "a");
    Plan plan = Planner.plan(stack, observed(stack, List.of(), false), DIGEST);
    assertThat(plan.changes())
        .containsExactly(
            new Change.Create(ResourceKind.NETWORK, "backend"),
            new Change.Create(ResourceKind.SERVICE, "db"),
            new Change.Create(ResourceKind.SERVICE, "web"));
  }

  @Test
  void anUnchangedRunningStackHasAnEmptyPlan() {
    StackSpec stack = stack(2, "a");
    assertThat(Planner.plan(stack, observed(stack, running(stack), true), DIGEST).isEmpty())
        .isTrue();
  }

  @Test
  void aChangedServiceIsRecreatedAndItsRestartDependantsRestarted() {
    StackSpec old = stack(1, "a");
    StackSpec changed = stack(1, "b");
    Plan plan = Planner.plan(changed, observed(changed, running(old), true), DIGEST);
    assertThat(plan.changes()).hasSize(1);
    Change.Update update = (Change.Update) plan.changes().get(0);
    assertThat(update.key()).isEqualTo("web");
    assertThat(update.fields())
        .containsExactly(
            new FieldChange(
                "config-hash",
                Planner.hashes(old, DIGEST).get("web"),
                Planner.hashes(changed, DIGEST).get("web")),
            new FieldChange("containers", "p-web-1 running, outdated", "p-web-1 recreated"));

    // db changed: web (restart: true) is restarted after it
    StackSpec dbChanged =
        changed.toBuilder()
            .service(ServiceSpec.builder("db", "img").network("backend").env("X", "1").build())
            .build();
    Plan restart = Planner.plan(dbChanged, observed(dbChanged, running(changed), true), DIGEST);
    assertThat(restart.changes()).extracting(Change::key).containsExactly("db", "web");
    assertThat(((Change.Update) restart.changes().get(1)).fields())
        .containsExactly(new FieldChange("restart", null, "after db is recreated"));
  }

  @Test
  void replicasAndDependsOnDoNotRecreateButScale() {
    StackSpec stack = stack(3, "a");
    List<Container> containers = new ArrayList<>(running(stack(1, "a")));
    Plan plan = Planner.plan(stack, observed(stack, containers, true), DIGEST);
    Change.Update update = (Change.Update) plan.changes().get(0);
    assertThat(update.fields()).containsExactly(new FieldChange("replicas", "1", "3"));
  }

  @Test
  void crashedAndMissingContainersAreRepaired() {
    StackSpec stack = stack(2, "a");
    Map<String, String> hashes = Planner.hashes(stack, DIGEST);
    List<Container> containers =
        List.of(
            container("db", 1, hashes.get("db"), "exited", 1),
            container("web", 2, hashes.get("web"), "running", null));
    Plan plan = Planner.plan(stack, observed(stack, containers, true), DIGEST);
    assertThat(plan.changes()).hasSize(2);
    assertThat(((Change.Update) plan.changes().get(0)).fields())
        .containsExactly(new FieldChange("containers", "p-db-1 exited (1)", "p-db-1 running"));
    assertThat(((Change.Update) plan.changes().get(1)).fields())
        .containsExactly(new FieldChange("replicas", "1", "2"));
  }

  @Test
  void orphansAndUnusedNetworksAreDeleted() {
    StackSpec stack = stack(1, "a");
    List<Container> containers = new ArrayList<>(running(stack));
    containers.add(container("old", 1, "x", "running", null));
    Observed.Project o = observed(stack, containers, true);
    Observed.Project withOldNetwork =
        new Observed.Project(
            "p",
            o.containers(),
            o.networks(),
            List.of(
                new Observed.Network(
                    "1", "p_backend", Map.of(ComposeNames.NETWORK, "backend"), List.of()),
                new Observed.Network(
                    "2", "p_legacy", Map.of(ComposeNames.NETWORK, "legacy"), List.of())),
            Map.of(),
            o.imageIds(),
            Set.of());
    assertThat(Planner.plan(stack, withOldNetwork, DIGEST).changes())
        .containsExactly(
            new Change.Delete(ResourceKind.SERVICE, "old"),
            new Change.Delete(ResourceKind.NETWORK, "legacy"));
  }

  @Test
  void anUpdateSaysWhenTheNewestContainerWasCreatedUnlessOneIsGoneOrStopped() {
    StackSpec stack = stack(2, "b");
    Map<String, String> hashes = Planner.hashes(stack, DIGEST);
    Container web1 = container("web", 1, hashes.get("web"), "running", null);
    // recreated by hand with another configuration, 600 s after the first
    Container byHand = withCreated(container("web", 2, "by-hand", "running", null), 1_600);
    Container db = container("db", 1, hashes.get("db"), "running", null);
    Plan plan =
        Planner.plan(
            stack, observed(stack, List.of(db, withCreated(web1, 1_000), byHand), true), DIGEST);
    assertThat(((Change.Update) plan.changes().get(0)).changedAt())
        .isEqualTo(java.time.Instant.ofEpochSecond(1_600));

    // a container removed or exited: when is not in the list; the survivors' age would mislead
    Plan removed = Planner.plan(stack, observed(stack, List.of(db, web1), true), DIGEST);
    assertThat(removed.changes()).singleElement().satisfies(PlannerTest::assertUnknown);
    Container exited = container("web", 2, hashes.get("web"), "exited", 137);
    Plan stopped = Planner.plan(stack, observed(stack, List.of(db, web1, exited), true), DIGEST);
    assertThat(stopped.changes()).singleElement().satisfies(PlannerTest::assertUnknown);
  }

  private static void assertUnknown(Change change) {
    assertThat(((Change.Update) change).changedAt()).isNull();
  }

  private static Container withCreated(Container c, long created) {
    return new Container(
        c.id(),
        c.name(),
        c.service(),
        c.number(),
        c.state(),
        c.exitCode(),
        c.hash(),
        c.image(),
        c.imageId(),
        created,
        c.labels());
  }

  @Test
  void staleSecretFilesAreRewritten() {
    StackSpec stack = stack(1, "a");
    Observed.Project o = observed(stack, running(stack), true);
    Observed.Project stale =
        new Observed.Project(
            "p", o.containers(), o.networks(), List.of(), Map.of(), o.imageIds(), Set.of("db"));
    Plan plan = Planner.plan(stack, stale, DIGEST);
    assertThat(plan.changes()).hasSize(1);
    assertThat(((Change.Update) plan.changes().get(0)).fields())
        .extracting(FieldChange::path)
        .containsExactly("files");
  }
}
