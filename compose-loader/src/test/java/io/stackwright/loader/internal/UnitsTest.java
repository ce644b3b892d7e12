package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "0, 0",
    "10s, 10000000000",
    "1m30s, 90000000000",
    "500ms, 500000000",
    "1.5h, 5400000000000",
    "2h45m, 9900000000000",
    "250us, 250000",
    "250µs, 250000",
    "3ns, 3",
    ".5s, 500000000",
    "1m0.5s, 60500000000",
  })
  void durations(String text, long nanos) {
    assertThat(Units.duration(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "10 s", "-5s", "1d", "5sec", "1m x"})
  void invalidDurations(String text) {
    assertThatThrownBy(() -> Units.duration(text))
        .hasMessage("expected a duration such as 10s, 1m30s or 500ms");
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "1024, 1024",
    "100b, 100",
    "512k, 524288",
    "512kb, 524288",
    "512m, 536870912",
    "50M, 52428800",
    "1g, 1073741824",
    "1.5GB, 1610612736",
    "2gb, 2147483648",
    "1GiB, 1073741824",
    "1t, 1099511627776",
    "10 m, 10485760",
  })
  void byteSizes(String text, long bytes) {
    assertThat(Units.bytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "12 elephants", "-1m", "1x", "1ib", "1.2.3g"})
  void invalidByteSizes(String text) {
    assertThatThrownBy(() -> Units.bytes(text))
        .hasMessage("expected a size such as 512m, 1g or 1.5GB");
  }

  @ParameterizedTest(name = "{0} cpus = {1} nano")
  @CsvSource({"0.5, 500000000", "2, 2000000000", "0.001, 1000000", "1.000000001, 1000000001"})
  void cpus(String text, long nanos) {
    assertThat(Units.nanoCpus(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({
    "half, expected a number such as 0.5 or 2",
    "-1, cannot be negative",
    "0.0000000001, too precise"
  })
  void invalidCpus(String text, String message) {
    assertThatThrownBy(() -> Units.nanoCpus(text)).hasMessage(message);
  }
}
