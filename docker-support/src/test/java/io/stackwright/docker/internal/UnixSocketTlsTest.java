package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class UnixSocketTlsTest {
  @Test
  void thePlaceholderContextRefusesEveryUseWithAMessageThatSaysWhy() {
    SSLContext context = UnixSocketTls.INSTANCE.getSSLContext();
    assertThatThrownBy(context::getSocketFactory)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("TLS was requested on a connection to a Unix socket");
    assertThatThrownBy(() -> context.createSSLEngine("localhost", 443))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> context.init(null, null, null))
        .hasRootCauseMessage("TLS was requested on a connection to a Unix socket");
  }
}
