package io.stackwright.docker.internal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback address in front of the engine's unix socket that can be made to stop
 * answering, the way a Swarm manager without quorum does: while stalled it accepts connections and
 * reads requests but forwards nothing, so no answer ever comes. Resumed, it forwards again
 * (requests held while stalled are dropped with their connections, as the clients that sent them
 * have given up).
 */
public final class StallingEngineProxy implements AutoCloseable {
  private final Path engineSocket;
  private final ServerSocket server;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Object lock = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  private StallingEngineProxy(Path engineSocket) throws IOException {
    this.engineSocket = engineSocket;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "ds-stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a proxy in front of {@code engineSocket} (e.g. {@code /var/run/docker.sock}). */
  public static StallingEngineProxy start(Path engineSocket) throws IOException {
    return new StallingEngineProxy(engineSocket);
  }

  /** The {@code docker.host} that reaches the engine through this proxy. */
  public String host() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on, nothing reaches the engine and no answer comes back. */
  public void stall() {
    stalled = true;
  }

  public void resume() {
    synchronized (lock) {
      stalled = false;
      lock.notifyAll();
    }
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        open.add(client);
        SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(engineSocket));
        open.add(engine);
        // The channel itself, not Channels' streams: those lock the channel for a blocked read,
        // so the other direction could never write.
        InputStream fromClient = client.getInputStream();
        OutputStream toClient = client.getOutputStream();
        pump(
            fromClient::read,
            (b, n) -> engine.write(ByteBuffer.wrap(b, 0, n)),
            client,
            engine,
            true);
        pump(
            b -> engine.read(ByteBuffer.wrap(b)),
            (b, n) -> toClient.write(b, 0, n),
            client,
            engine,
            false);
      } catch (IOException e) {
        if (!closed) {
          // one failed connection does not stop the proxy
          continue;
        }
      }
    }
  }

  private interface Source {
    int read(byte[] buffer) throws IOException;
  }

  private interface Sink {
    void write(byte[] buffer, int length) throws IOException;
  }

  private void pump(Source in, Sink out, Socket client, SocketChannel engine, boolean toEngine) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              boolean heldWhileStalled = false;
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (stalled) {
                    heldWhileStalled = true;
                    awaitResume();
                  }
                  if (heldWhileStalled) {
                    break; // its sender gave up on it: drop the connection
                  }
                  out.write(buffer, n);
                }
              } catch (IOException | InterruptedException e) {
                // the other side closed
              } finally {
                closeQuietly(client);
                closeQuietly(engine);
              }
            },
            "ds-stalling-proxy-" + (toEngine ? "up" : "down"));
    t.setDaemon(true);
    t.start();
  }

  private void awaitResume() throws InterruptedException {
    synchronized (lock) {
      while (stalled && !closed) {
        lock.wait(1000);
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    resume();
    closeQuietly(server);
    open.forEach(StallingEngineProxy::closeQuietly);
  }
}
