package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.store.StoreException;
import io.stackwright.tck.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An embedded store is one process's: a second process is refused with a message that says so. */
class EmbeddedStoreLockTest {
  @Test
  void aSecondProcessIsRefusedWithAReason(@TempDir Path directory) throws Exception {
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1", // a short-lived child: C1 and the serial collector
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedHolder.class.getName(),
                directory.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("READY");

      assertThatThrownBy(() -> Stores.embedded(directory, MutableClock.atEpochMillis(0)).close())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(directory.toString())
          .hasMessageContaining("one process at a time");
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
    assertThat(holder.exitValue()).isZero();
    // Once the holder closed it, the store opens here.
    Stores.embedded(directory, MutableClock.atEpochMillis(0)).close();
  }
}
