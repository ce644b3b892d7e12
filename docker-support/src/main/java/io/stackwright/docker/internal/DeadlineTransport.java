package io.stackwright.docker.internal;

import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.spi.MetricsRecorder;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport whose every request has a deadline, whatever the socket.
 *
 * <p>docker-java's response timeout is a socket read timeout: it works on TCP, but on the local
 * unix socket (a {@code SocketChannel} under a {@code Socket} facade) it is ignored, and a call to
 * an engine that stopped answering blocks forever. So each request also arms a watchdog: when the
 * deadline passes while the calling thread is still inside the request (sending it, waiting for the
 * answer, reading the answer's body), the watchdog interrupts that thread, which closes the channel
 * and ends the blocked read; the request then fails with {@link DeadlineExceeded}. The watchdog
 * never interrupts a thread that has left the request, and the interrupt it caused is cleared
 * before the failure is thrown, so the caller's thread carries on normally.
 *
 * <p>With {@code bodyBounded} false (the event stream) the deadline covers the request until the
 * answer's headers arrive; the open stream is bounded by its reader.
 *
 * <p>Every request is also recorded, once, as a timing {@value #METRIC} tagged with its {@code
 * operation} ({@link EngineOperations}: bounded names, never an id) and its {@code outcome}: {@code
 * success} (the engine answered below HTTP 400, or 404: it answered that the object is not there),
 * {@code error} (another HTTP error, or the transport failed) or {@code timeout} (past the
 * deadline). The time runs from sending the request to the end of its answer (to its headers for a
 * stream).
 */
final class DeadlineTransport implements DockerHttpClient {
  static final String METRIC = "stackwright.engine.requests";
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineTransport.class);

  private final DockerHttpClient delegate;
  private final Duration deadline;
  private final String property;
  private final boolean bodyBounded;
  private final ScheduledExecutorService watchdogs;
  private final MetricsRecorder metrics;

  DeadlineTransport(
      DockerHttpClient delegate,
      Duration deadline,
      String property,
      boolean bodyBounded,
      ScheduledExecutorService watchdogs,
      MetricsRecorder metrics) {
    this.delegate = delegate;
    this.deadline = deadline;
    this.property = property;
    this.bodyBounded = bodyBounded;
    this.watchdogs = watchdogs;
    this.metrics = metrics;
  }

  Duration deadline() {
    return deadline;
  }

  @Override
  public Response execute(Request request) {
    String operation = EngineOperations.name(request.method(), request.path());
    long start = System.nanoTime();
    Call call = new Call(Thread.currentThread());
    ScheduledFuture<?> watchdog =
        watchdogs.schedule(call::expire, deadline.toNanos(), TimeUnit.NANOSECONDS);
    Response response;
    call.enter();
    try {
      response = delegate.execute(request);
    } catch (RuntimeException e) {
      boolean expired = call.exit();
      watchdog.cancel(false);
      if (expired || hasSocketTimeout(e)) {
        record(operation, "timeout", start);
        throw new UncheckedIOException(new DeadlineExceeded(operation, deadline, property, e));
      }
      record(operation, "error", start);
      throw e;
    }
    boolean expired = call.exit();
    if (expired) {
      watchdog.cancel(false);
      closeQuietly(response);
      record(operation, "timeout", start);
      throw new UncheckedIOException(new DeadlineExceeded(operation, deadline, property, null));
    }
    if (!bodyBounded) {
      watchdog.cancel(false);
      record(operation, outcome(response.getStatusCode()), start);
      return response;
    }
    return new BoundedResponse(response, call, watchdog, operation, start);
  }

  static String outcome(int status) {
    return status < 400 || status == 404 ? "success" : "error";
  }

  private void record(String operation, String outcome, long start) {
    try {
      metrics.timing(
          METRIC,
          Map.of("operation", operation, "outcome", outcome),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException e) {
      // A failing metrics bridge must not fail the engine call it measures.
      LOG.debug("Recording {} failed", METRIC, e);
    }
  }

  static boolean hasSocketTimeout(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(Response response) {
    try {
      response.close();
    } catch (RuntimeException e) {
      // the answer is abandoned anyway
    }
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  /** One request's thread and whether its deadline passed. */
  static final class Call {
    private final Thread owner;
    private boolean inside;
    private boolean expired;
    private boolean interrupted;

    Call(Thread owner) {
      this.owner = owner;
    }

    synchronized void enter() {
      inside = true;
    }

    /** Leaves the request; returns whether the deadline passed, clearing the interrupt it made. */
    synchronized boolean exit() {
      inside = false;
      if (interrupted && Thread.currentThread() == owner) {
        Thread.interrupted();
        interrupted = false;
      }
      return expired;
    }

    synchronized boolean expired() {
      return expired;
    }

    synchronized void expire() {
      expired = true;
      if (inside) {
        interrupted = true;
        owner.interrupt();
      }
    }
  }

  /** An answer whose body reads stay within the request's deadline. */
  private final class BoundedResponse implements Response {
    private final Response response;
    private final Call call;
    private final ScheduledFuture<?> watchdog;
    private final String operation;
    private final long start;
    private InputStream body;
    private boolean recorded;
    private boolean timedOut;

    BoundedResponse(
        Response response, Call call, ScheduledFuture<?> watchdog, String operation, long start) {
      this.response = response;
      this.call = call;
      this.watchdog = watchdog;
      this.operation = operation;
      this.start = start;
    }

    private synchronized void recordOnce(String outcome) {
      if (!recorded) {
        recorded = true;
        record(operation, outcome, start);
      }
    }

    @Override
    public int getStatusCode() {
      return response.getStatusCode();
    }

    @Override
    public java.util.Map<String, java.util.List<String>> getHeaders() {
      return response.getHeaders();
    }

    @Override
    public String getHeader(String name) {
      return response.getHeader(name);
    }

    @Override
    public synchronized InputStream getBody() {
      if (body == null) {
        InputStream raw = response.getBody();
        body = raw == null ? null : new BoundedBody(raw);
      }
      return body;
    }

    @Override
    public void close() {
      watchdog.cancel(false);
      recordOnce(timedOut ? "timeout" : outcome(response.getStatusCode()));
      response.close();
    }

    private final class BoundedBody extends FilterInputStream {
      BoundedBody(InputStream in) {
        super(in);
      }

      @Override
      public int read() throws IOException {
        enter();
        try {
          return super.read();
        } catch (IOException e) {
          throw timeoutOr(e);
        } finally {
          leave();
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        enter();
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw timeoutOr(e);
        } finally {
          leave();
        }
      }

      private void enter() throws IOException {
        if (call.expired()) {
          timedOut = true;
          throw new DeadlineExceeded(operation, deadline, property, null);
        }
        call.enter();
      }

      private void leave() {
        call.exit();
      }

      private IOException timeoutOr(IOException e) {
        if (call.expired() || e instanceof SocketTimeoutException) {
          timedOut = true;
          return new DeadlineExceeded(operation, deadline, property, e);
        }
        return e;
      }
    }
  }
}
