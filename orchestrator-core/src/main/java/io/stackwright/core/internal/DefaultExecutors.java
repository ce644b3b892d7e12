package io.stackwright.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default executor: virtual threads where the runtime has them (Java 21+), which suit blocking
 * Engine API calls; otherwise a cached pool of daemon threads. The library is compiled for Java 17,
 * so the virtual-thread factory is looked up at run time.
 */
public final class DefaultExecutors {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultExecutors.class);

  private DefaultExecutors() {}

  public static ExecutorService defaultExecutor() {
    try {
      ExecutorService virtual =
          (ExecutorService)
              MethodHandles.publicLookup()
                  .findStatic(
                      Executors.class,
                      "newVirtualThreadPerTaskExecutor",
                      MethodType.methodType(ExecutorService.class))
                  .invoke();
      LOG.debug("Using virtual threads");
      return virtual;
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return Executors.newCachedThreadPool(daemonThreads("stackwright"));
    } catch (Throwable e) {
      LOG.warn("Virtual threads are present but could not be used; using platform threads", e);
      return Executors.newCachedThreadPool(daemonThreads("stackwright"));
    }
  }

  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
