package io.stackwright.store;

import io.stackwright.api.spi.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Another process for {@link EmbeddedStoreLockTest}: holds an embedded store open until stdin ends.
 */
public final class EmbeddedHolder {
  private EmbeddedHolder() {}

  public static void main(String[] args) throws Exception {
    try (Store store = Stores.embedded(Path.of(args[0]), Clock.systemUTC())) {
      System.out.write("READY\n".getBytes(StandardCharsets.UTF_8));
      System.out.flush();
      System.in.read();
    }
  }
}
