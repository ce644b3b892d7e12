package io.stackwright.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.spi.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default store shared by several processes (H2's automatic mixed mode): when the process that
 * serves it goes away, by exiting or by SIGKILL, the others go on using it. Real child JVMs.
 */
class DefaultStoreSharingTest {
  @TempDir Path directory;

  private final List<Process> children = new java.util.ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "the serving process {0}")
  @ValueSource(strings = {"exits", "is killed"})
  void theOthersGoOnWhenTheServingProcessGoesAway(String how) throws Exception {
    Process server = start("server", false);
    List<Process> writers = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      writers.add(start("writer" + i, true));
    }
    try (Store store = DefaultStore.open(directory, Clock.systemUTC())) {
      assertThat(store.documents().get("holders", "server")).contains("opened");
      // Each round ends the process that may serve the store now: the first opener, then each
      // writer in turn (one of them took over); the rest go on through every handover.
      List<Process> ending = new java.util.ArrayList<>(List.of(server));
      ending.addAll(writers.subList(0, writers.size() - 1));
      for (Process gone : ending) {
        java.util.Map<Process, Integer> before = new java.util.HashMap<>();
        for (Process writer : writers) {
          if (writer != gone && writer.isAlive()) {
            before.put(writer, lastWrite(writer, 3));
          }
        }
        if (how.equals("exits") && gone == server) {
          gone.getOutputStream().close();
        } else {
          gone.destroyForcibly();
        }
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
          store.documents().put("holders", "test", Integer.toString(i));
          assertThat(store.documents().get("holders", "test")).contains(Integer.toString(i));
        }
        for (var writer : before.entrySet()) {
          assertThat(lastWrite(writer.getKey(), 20))
              .as("another client kept writing after the handover")
              .isGreaterThan(writer.getValue());
        }
      }
    }
  }

  @Test
  void aStoreOpensWhileTheServingProcessIsKilled() throws Exception {
    Process server = start("server", false);
    server.destroyForcibly();
    try (Store store = DefaultStore.open(directory, Clock.systemUTC())) {
      store.documents().put("holders", "test", "after");
      assertThat(store.documents().get("holders", "test")).contains("after");
    }
  }

  private Process start(String name, boolean write) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "-XX:TieredStopAtLevel=1", // a short-lived child: C1 and the serial collector
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                StoreHolder.class.getName(),
                directory.toString(),
                name));
    if (write) {
      command.add("write");
    }
    Process process =
        new ProcessBuilder(command)
            .redirectError(directory.resolve(name + ".err").toFile())
            .start();
    children.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    readers.put(process, out);
    names.put(process, name);
    String line = out.readLine();
    assertThat(line).as(name + " opened the store").isEqualTo("READY");
    return process;
  }

  private final java.util.Map<Process, BufferedReader> readers = new java.util.HashMap<>();
  private final java.util.Map<Process, String> names = new java.util.HashMap<>();

  private String errors(Process child) {
    try {
      return java.nio.file.Files.readString(directory.resolve(names.get(child) + ".err"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Reads {@code count} more WROTE lines of {@code writer}; the last number written. */
  private int lastWrite(Process writer, int count) throws IOException {
    AtomicInteger last = new AtomicInteger(-1);
    BufferedReader out = readers.get(writer);
    for (int i = 0; i < count; i++) {
      String line = out.readLine();
      assertThat(line)
          .as("the writer is still writing; it printed: %s", errors(writer))
          .isNotNull()
          .startsWith("WROTE ");
      last.set(Integer.parseInt(line.substring(6)));
    }
    return last.get();
  }
}
