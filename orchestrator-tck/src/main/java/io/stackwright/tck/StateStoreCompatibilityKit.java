package io.stackwright.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StateStore} (the key-value and history store of {@code
 * io.stackwright.api.spi}), as an abstract JUnit 5 suite. Every store subclasses it:
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends StateStoreCompatibilityKit {
 *   protected StateStore createStore() {
 *     return new MyStore(...);            // empty
 *   }
 *   protected StateStore reopen(StateStore store) {
 *     store.close();
 *     return new MyStore(...);            // the same data, as a restarted host sees it
 *   }
 * }
 * }</pre>
 *
 * Durability is checked only where {@link #reopen} is overridden (a store that forgets everything
 * when the process ends, as an in-memory one does, skips it and says so).
 */
public abstract class StateStoreCompatibilityKit {

  /** The store under test: empty, created afresh for each test. */
  protected StateStore store;

  /** Creates an empty store. */
  protected abstract StateStore createStore();

  /**
   * The same data as {@code store}, opened again as a restarted host would (close {@code store}
   * first if it holds resources); {@code null}, the default, for a store that is not durable.
   */
  protected StateStore reopen(StateStore store) {
    return null;
  }

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Nested
  @DisplayName("values")
  class Values {

    @Test
    @DisplayName("a key never written has no value")
    void absent() {
      assertThat(store.get("health", "nothing")).isEmpty();
      assertThat(store.keys("health")).isEmpty();
    }

    @Test
    @DisplayName("put stores a value, a second put replaces it")
    void putAndReplace() {
      store.put("revisions", "shop", "{\"revision\":1}");
      assertThat(store.get("revisions", "shop")).contains("{\"revision\":1}");
      store.put("revisions", "shop", "{\"revision\":2}");
      assertThat(store.get("revisions", "shop")).contains("{\"revision\":2}");
      assertThat(store.keys("revisions")).containsExactly("shop");
    }

    @Test
    @DisplayName("values and names round-trip exactly: quotes, new lines, unicode, slashes, dots")
    void exactRoundTrip() {
      String value =
          "{\"a\":\"line one\\nline two\"}\nsecond line \"quoted\" \u00e9\u4e2d\ud83d\ude00";
      List<String> names = List.of("a/b:c", "..", ".", "x y", "*", "%41", "\u00e9t\u00e9");
      for (String name : names) {
        store.put("odd names", name, value + name);
      }
      for (String name : names) {
        assertThat(store.get("odd names", name)).as(name).contains(value + name);
      }
      assertThat(store.keys("odd names")).containsExactlyInAnyOrderElementsOf(names);
      store.put("empty", "k", "");
      assertThat(store.get("empty", "k")).contains("");
    }

    @Test
    @DisplayName("delete forgets a value; deleting what is absent is no error")
    void delete() {
      store.put("health", "shop", "v");
      store.delete("health", "shop");
      store.delete("health", "shop");
      store.delete("never", "written");
      assertThat(store.get("health", "shop")).isEmpty();
      assertThat(store.keys("health")).isEmpty();
    }
  }

  @Nested
  @DisplayName("namespaces and keys")
  class Namespaces {

    @Test
    @DisplayName("the same key in two namespaces holds two values")
    void isolated() {
      store.put("health", "shop", "h");
      store.put("revisions", "shop", "r");
      assertThat(store.get("health", "shop")).contains("h");
      assertThat(store.get("revisions", "shop")).contains("r");
      store.delete("health", "shop");
      assertThat(store.get("revisions", "shop")).contains("r");
    }

    @Test
    @DisplayName("keys lists the keys holding a value, sorted")
    void sortedKeys() {
      for (String key : List.of("web", "api", "db", "cache")) {
        store.put("health", key, key);
      }
      store.append("health", "history-only", "r", 5);
      assertThat(store.keys("health")).containsExactly("api", "cache", "db", "web");
      assertThat(store.keys("other")).isEmpty();
    }
  }

  @Nested
  @DisplayName("histories")
  class Histories {

    @Test
    @DisplayName("records come back oldest first, the newest limit of them")
    void newestOldestFirst() {
      for (int i = 1; i <= 5; i++) {
        store.append("events", "shop", "r" + i, 100);
      }
      assertThat(store.history("events", "shop", 100))
          .containsExactly("r1", "r2", "r3", "r4", "r5");
      assertThat(store.history("events", "shop", 2)).containsExactly("r4", "r5");
      assertThat(store.history("events", "never", 10)).isEmpty();
    }

    @Test
    @DisplayName("keeps the newest keep records and drops the older ones")
    void keepsTheNewest() {
      int keep = 5;
      for (int i = 1; i <= 100; i++) {
        store.append("events", "shop", "r" + i, keep);
      }
      List<String> all = store.history("events", "shop", 1000);
      assertThat(all).endsWith("r96", "r97", "r98", "r99", "r100");
      assertThat(all.size()).as("older records dropped (lazily at most)").isLessThan(2 * keep);
      assertThat(store.history("events", "shop", keep))
          .containsExactly("r96", "r97", "r98", "r99", "r100");
    }

    @Test
    @DisplayName("records with new lines and quotes round-trip exactly")
    void exactRecords() {
      String record = "{\"message\":\"two\\nlines\"}\nand \"quotes\"";
      store.append("events", "shop", record, 10);
      assertThat(store.history("events", "shop", 10)).containsExactly(record);
    }

    @Test
    @DisplayName("a history and a value under one key are separate, and delete forgets both")
    void historyBesideValue() {
      store.put("health", "shop", "value");
      store.append("health", "shop", "record", 10);
      assertThat(store.get("health", "shop")).contains("value");
      assertThat(store.history("health", "shop", 10)).containsExactly("record");
      store.delete("health", "shop");
      assertThat(store.get("health", "shop")).isEmpty();
      assertThat(store.history("health", "shop", 10)).isEmpty();
    }
  }

  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    @Test
    @DisplayName("concurrent writers lose nothing")
    void concurrentWriters() throws Exception {
      int threads = 8;
      int each = 50;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () ->
                      IntStream.range(0, each)
                          .forEach(
                              i -> {
                                store.append("h", "k", thread + ":" + i, 10_000);
                                store.put("v", "k" + thread, Integer.toString(i));
                              })));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.history("h", "k", 10_000)).hasSize(threads * each).doesNotHaveDuplicates();
      for (int t = 0; t < threads; t++) {
        assertThat(store.get("v", "k" + t)).contains(Integer.toString(each - 1));
      }
    }
  }

  @Nested
  @DisplayName("durability")
  class Durability {

    @Test
    @DisplayName("what a call stored survives reopening the store (a restarted host)")
    void survivesReopen() {
      store.put("revisions", "shop", "{\"revision\":3}");
      store.put("revisions", "gone", "x");
      store.delete("revisions", "gone");
      store.append("events", "shop", "one", 10);
      store.append("events", "shop", "two", 10);

      StateStore reopened = reopen(store);
      Assumptions.assumeTrue(
          reopened != null, "this store is not durable: it keeps nothing across a restart");
      store = reopened;

      assertThat(store.get("revisions", "shop")).contains("{\"revision\":3}");
      assertThat(store.get("revisions", "gone")).isEmpty();
      assertThat(store.keys("revisions")).containsExactly("shop");
      assertThat(store.history("events", "shop", 10)).containsExactly("one", "two");
    }
  }
}
