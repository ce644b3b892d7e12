package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ContainerAddressesTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void theFirstUsableNetworkAddress() throws Exception {
    var container =
        mapper.readTree(
            """
            {"NetworkSettings": {"IPAddress": "",
              "Networks": {"shop_overlay": {"IPAddress": "10.0.1.5"},
                           "shop_default": {"IPAddress": "172.20.0.3"}}}}
            """);
    assertThat(ContainerAddresses.networkAddress(container, ip -> !ip.startsWith("10.")))
        .contains("172.20.0.3");
    assertThat(ContainerAddresses.networkAddress(container, ip -> true)).contains("10.0.1.5");
    assertThat(ContainerAddresses.networkAddress(mapper.readTree("{}"), ip -> true)).isEmpty();
    assertThat(
            ContainerAddresses.networkAddress(
                mapper.readTree("{\"NetworkSettings\": {\"IPAddress\": \"172.17.0.2\"}}"),
                ip -> true))
        .contains("172.17.0.2");
  }

  @Test
  void cidrWithoutItsPrefix() {
    assertThat(ContainerAddresses.withoutPrefix("172.18.0.3/16")).isEqualTo("172.18.0.3");
    assertThat(ContainerAddresses.withoutPrefix("172.18.0.3")).isEqualTo("172.18.0.3");
  }
}
