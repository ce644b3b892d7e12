package io.stackwright.it.controller;

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
 * A UNIX socket in front of the engine's ({@code /var/run/docker.sock}) that a test stops and
 * starts: while stopped, the engine is unreachable through it (connections refused, open ones cut).
 */
final class SocketProxy implements AutoCloseable {
  private final Path socket;
  private final Path engine;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  SocketProxy(Path socket, Path engine) {
    this.socket = socket;
    this.engine = engine;
  }

  String dockerHost() {
    return "unix://" + socket;
  }

  synchronized void start() throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(socket));
    server = s;
    Thread acceptor =
        new Thread(
            () -> {
              while (s.isOpen()) {
                try {
                  SocketChannel client = s.accept();
                  SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
                  open.add(client);
                  open.add(upstream);
                  pump(client, upstream);
                  pump(upstream, client);
                } catch (IOException e) {
                  return; // stopped
                }
              }
            },
            "ct-socket-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
              try {
                while (from.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException e) {
                // cut
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "ct-socket-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** The engine becomes unreachable: no new connection, and the open ones are cut. */
  synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    open.forEach(SocketProxy::closeQuietly);
    open.clear();
    Files.deleteIfExists(socket);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
