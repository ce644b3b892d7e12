package io.stackwright.docker.internal;

import com.github.dockerjava.transport.SSLConfig;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS configuration of a connection to a Unix socket, which never speaks TLS: an {@link
 * SSLContext} that refuses to be used. docker-java's Apache transport builds a TLS strategy for
 * every connection, and without one of ours it asks for the JVM's default {@code SSLContext}, which
 * reads the trust store and sets up the TLS provider: about 90 ms of a command line's start, for a
 * context that a Unix socket never touches.
 */
final class UnixSocketTls implements SSLConfig {
  static final UnixSocketTls INSTANCE = new UnixSocketTls();

  private static final SSLContext UNUSABLE =
      new SSLContext(
          new Refusing(), new Provider("stackwright-unix-socket", "1", "no TLS") {}, "TLS") {};

  private UnixSocketTls() {}

  @Override
  public SSLContext getSSLContext() {
    return UNUSABLE;
  }

  /** Every use fails: reaching one means a TLS connection where only a Unix socket was expected. */
  private static final class Refusing extends SSLContextSpi {
    private static IllegalStateException refused() {
      return new IllegalStateException("TLS was requested on a connection to a Unix socket");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException(refused());
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
