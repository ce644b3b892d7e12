package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.compose.internal.Observed.Container;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceActionsTest {

  private static Container c(int n, String hash, String state, Integer exit, String imageId) {
    return new Container(
        "id" + n, "p-s-" + n, "s", n, state, exit, hash, "img", imageId, n, Map.of());
  }

  private static ServiceSpec spec(int replicas) {
    return ServiceSpec.builder("s", "img").replicas(replicas).build();
  }

  @Test
  void scaleDownRemovesOutdatedFirstThenTheHighestNumbers() {
    List<Container> containers =
        List.of(
            c(1, "h", "running", null, "i"),
            c(2, "old", "running", null, "i"),
            c(3, "h", "running", null, "i"),
            c(4, "h", "running", null, "i"));
    ServiceActions a = ServiceActions.compute(spec(2), "h", "i", containers, false);
    assertThat(a.remove()).extracting(Container::number).containsExactly(2, 4);
    assertThat(a.recreate()).isEmpty();
    assertThat(a.create()).isEmpty();
  }

  /** What a replacement of container {@code n} left when it was killed: its new one, unrenamed. */
  private static Container temporary(int n, String hash, String state) {
    return new Container(
        "new" + n,
        "0123456789ab_p-s-" + n,
        "s",
        n,
        state,
        null,
        hash,
        "img",
        "i",
        100 + n,
        Map.of());
  }

  @Test
  void anInterruptedReplacementWhoseOldContainerIsThereIsUndone() {
    // killed after the new container was created, before the old one was removed
    List<Container> containers =
        List.of(c(1, "old", "running", null, "i"), temporary(1, "h", "created"));
    ServiceActions a = ServiceActions.compute(spec(1), "h", "i", containers, false);
    assertThat(a.leftovers()).extracting(Container::name).containsExactly("0123456789ab_p-s-1");
    assertThat(a.finish()).isEmpty();
    assertThat(a.remove()).as("the count is of the others").isEmpty();
    assertThat(a.recreate()).extracting(Container::name).containsExactly("p-s-1");
    assertThat(a.existing()).isEqualTo(1);
  }

  @Test
  void anInterruptedReplacementWhoseOldContainerIsGoneIsFinished() {
    // killed after the old container was removed, before the new one was renamed and started
    ServiceActions a =
        ServiceActions.compute(
            spec(2),
            "h",
            "i",
            List.of(temporary(1, "h", "created"), c(2, "h", "running", null, "i")),
            false);
    assertThat(a.leftovers()).isEmpty();
    assertThat(a.finish()).extracting(Container::name).containsExactly("0123456789ab_p-s-1");
    assertThat(a.start()).extracting(Container::name).containsExactly("p-s-1");
    assertThat(a.create()).isEmpty();
    assertThat(a.isEmpty()).isFalse();
  }

  @Test
  void scaleUpNumbersAfterTheHighest() {
    List<Container> containers =
        List.of(c(1, "h", "running", null, "i"), c(3, "h", "running", null, "i"));
    ServiceActions a = ServiceActions.compute(spec(4), "h", "i", containers, false);
    assertThat(a.create()).containsExactly(4, 5);
    assertThat(ServiceActions.compute(spec(2), "h", "i", List.of(), false).create())
        .containsExactly(1, 2);
  }

  @Test
  void aNewImageBehindTheSameTagRecreates() {
    ServiceActions a =
        ServiceActions.compute(
            spec(1), "h", "new", List.of(c(1, "h", "running", null, "old")), false);
    assertThat(a.recreate()).hasSize(1);
    // unknown image id (missing image): no decision on it
    assertThat(
            ServiceActions.compute(
                    spec(1), "h", null, List.of(c(1, "h", "running", null, "old")), false)
                .isEmpty())
        .isTrue();
  }

  @Test
  void exitedContainersAreStartedUnlessTheServiceIsOneShot() {
    List<Container> exited = List.of(c(1, "h", "exited", 0, "i"));
    assertThat(ServiceActions.compute(spec(1), "h", "i", exited, false).start()).hasSize(1);
    assertThat(ServiceActions.compute(spec(1), "h", "i", exited, true).isEmpty()).isTrue();
    List<Container> created = List.of(c(1, "h", "created", null, "i"));
    assertThat(ServiceActions.compute(spec(1), "h", "i", created, true).start()).hasSize(1);
    List<Container> dead = List.of(c(1, "h", "dead", null, "i"));
    assertThat(ServiceActions.compute(spec(1), "h", "i", dead, false).recreate()).hasSize(1);
    List<Container> restarting = List.of(c(1, "h", "restarting", null, "i"));
    assertThat(ServiceActions.compute(spec(1), "h", "i", restarting, false).isEmpty()).isTrue();
  }

  @Test
  void globalModeMeansOneContainer() {
    assertThat(
            ServiceActions.desiredReplicas(
                ServiceSpec.builder("g", "i").mode(ServiceSpec.Mode.GLOBAL).build()))
        .isEqualTo(1);
  }
}
