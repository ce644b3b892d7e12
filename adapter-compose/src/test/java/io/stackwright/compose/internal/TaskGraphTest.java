package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class TaskGraphTest {

  @Test
  void dependenciesRunFirstEvenWhenTheExecutorNeverRunsAnything() {
    Executor never = task -> {};
    List<String> ran = new CopyOnWriteArrayList<>();
    Map<String, Set<String>> deps =
        Map.of("web", Set.of("api"), "api", Set.of("db"), "db", Set.of(), "cache", Set.of());
    Map<String, Throwable> failures =
        TaskGraph.run(
            never,
            List.of("db", "cache", "api", "web"),
            deps::get,
            ran::add,
            new ConcurrentHashMap<>());
    assertThat(failures).isEmpty();
    assertThat(ran).containsExactlyInAnyOrder("db", "cache", "api", "web");
    assertThat(ran.indexOf("db")).isLessThan(ran.indexOf("api"));
    assertThat(ran.indexOf("api")).isLessThan(ran.indexOf("web"));
  }

  @Test
  void failuresAreRecordedAndDependantsStillSeeThem() {
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    List<String> saw = new CopyOnWriteArrayList<>();
    TaskGraph.run(
        Runnable::run,
        List.of("db", "web"),
        k -> k.equals("web") ? Set.of("db") : Set.of(),
        k -> {
          if (k.equals("db")) {
            throw new IllegalStateException("boom");
          }
          saw.add(k + " sees db failed: " + failures.containsKey("db"));
        },
        failures);
    assertThat(failures).containsOnlyKeys("db");
    assertThat(saw).containsExactly("web sees db failed: true");
  }
}
