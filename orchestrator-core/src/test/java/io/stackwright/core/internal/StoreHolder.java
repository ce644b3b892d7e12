package io.stackwright.core.internal;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A process that opens the default store in a directory, writes a document, says {@code READY} and
 * then, in {@code write} mode, keeps writing until it is killed or its input ends.
 */
public final class StoreHolder {
  private StoreHolder() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    String name = args[1];
    boolean writing = args.length > 2 && args[2].equals("write");
    try (Store store = DefaultStore.open(directory, Clock.systemUTC())) {
      store.documents().put("holders", name, "opened");
      System.out.println("READY");
      System.out.flush();
      if (!writing) {
        while (System.in.read() >= 0) {
          // holds the store (and, when first, serves it) until the input ends
        }
        return;
      }
      for (int i = 0; ; i++) {
        try {
          store.documents().put("holders", name, Integer.toString(i));
          System.out.println("WROTE " + i);
        } catch (StoreException e) {
          if (!e.retryable()) {
            throw e;
          }
          // What a caller does with a retryable failure (a commit whose fate the lost
          // connection hid): the next write tries again.
          System.err.println("retryable: " + e.getMessage());
        }
        System.out.flush();
        Thread.sleep(20);
      }
    }
  }
}
