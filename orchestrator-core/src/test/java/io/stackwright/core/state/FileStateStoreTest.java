package io.stackwright.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
  @TempDir Path dir;

  @Test
  void valuesSurviveANewStoreOnTheSameDirectory() {
    FileStateStore store = new FileStateStore(dir);
    store.put("health", "shop", "{\"a\":1}");
    store.put("health", "a/b:c", "x");
    store.put("health", "..", "dots");
    store.append("health-events", "shop", "one", 10);
    store.append("health-events", "shop", "two\nlines \"quoted\"", 10);

    FileStateStore reopened = new FileStateStore(dir);
    assertThat(reopened.get("health", "shop")).contains("{\"a\":1}");
    assertThat(reopened.get("health", "..")).contains("dots");
    assertThat(reopened.keys("health")).containsExactly("..", "a/b:c", "shop");
    assertThat(reopened.history("health-events", "shop", 10))
        .containsExactly("one", "two\nlines \"quoted\"");
    assertThat(reopened.get("health", "nope")).isEmpty();
    // names never escape the directory
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.allMatch(p -> p.startsWith(dir))).isTrue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }

    reopened.delete("health", "shop");
    assertThat(reopened.get("health", "shop")).isEmpty();
  }

  @Test
  void historiesKeepTheNewestRecordsAndSkipATornLine() throws Exception {
    FileStateStore store = new FileStateStore(dir);
    for (int i = 0; i < 25; i++) {
      store.append("h", "k", "r" + i, 5);
    }
    assertThat(store.history("h", "k", 3)).containsExactly("r22", "r23", "r24");
    assertThat(store.history("h", "k", 100)).hasSizeGreaterThanOrEqualTo(5).endsWith("r24");
    // a crash in the middle of an append leaves half a line
    Path history;
    try (Stream<Path> files = Files.walk(dir)) {
      history = files.filter(p -> p.toString().endsWith(".history")).findFirst().orElseThrow();
    }
    Files.writeString(history, "\"r25", java.nio.file.StandardOpenOption.APPEND);
    assertThat(store.history("h", "k", 1)).containsExactly("r24");
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    FileStateStore one = new FileStateStore(dir);
    FileStateStore two = new FileStateStore(dir); // another instance: the OS lock serializes them
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      FileStateStore store = t % 2 == 0 ? one : two;
      int thread = t;
      futures.add(
          pool.submit(
              () ->
                  IntStream.range(0, 50)
                      .forEach(
                          i -> {
                            store.append("h", "k", thread + ":" + i, 10_000);
                            store.put("v", "k" + thread, Integer.toString(i));
                          })));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(one.history("h", "k", 10_000)).hasSize(400).doesNotHaveDuplicates();
    for (int t = 0; t < 8; t++) {
      assertThat(two.get("v", "k" + t)).contains("49");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }
}
