package io.stackwright.it.faults;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix-socket proxy in front of one engine that can stop answering: while frozen it accepts no
 * connection and forwards no byte either way, so a caller sees what a manager without quorum shows
 * (requests that neither fail nor answer). Thawed, it forwards what was held back.
 */
final class FreezingSocketProxy implements AutoCloseable {
  private final Path socket;
  private final UnixDomainSocketAddress target;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean frozen;
  private volatile boolean closed;

  FreezingSocketProxy(Path socket, Path target) throws IOException {
    this.socket = socket;
    this.target = UnixDomainSocketAddress.of(target);
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread acceptor = new Thread(this::accept, "freezing-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String dockerHost() {
    return "unix://" + socket;
  }

  void freeze() {
    frozen = true;
  }

  void thaw() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (gate) {
      while (frozen && !closed) {
        gate.wait(100);
      }
    }
  }

  private void accept() {
    while (!closed) {
      try {
        awaitThawed();
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(target);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException | InterruptedException e) {
        if (!closed) {
          System.err.println("freezing proxy: " + e);
        }
        return;
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread pump =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
              try {
                while (from.read(buffer) >= 0) {
                  awaitThawed();
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException | InterruptedException e) {
                // the other side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "freezing-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.remove(channel);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    thaw();
    server.close();
    for (SocketChannel channel : open) {
      closeQuietly(channel);
    }
    Files.deleteIfExists(socket);
  }
}
