package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.core.scaling.internal.CounterRates;
import io.stackwright.core.scaling.internal.PrometheusText;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String TEXT =
      """
      # HELP workload_requests_total Total number of HTTP requests served.
      # TYPE workload_requests_total counter
      workload_requests_total 1027
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"}    3 1395066363000
      http_requests_total{method="get",code="200",path="/a \\"b\\", c"} 10
      http_requests_total_other 99
      msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
      broken{method="post" 5
      gauge_nan NaN
      """;

  @Test
  void sumsTheSeriesOfANameMatchingTheLabels() {
    assertThat(PrometheusText.sum(TEXT, "workload_requests_total", Map.of())).hasValue(1027);
    assertThat(PrometheusText.sum(TEXT, "http_requests_total", Map.of())).hasValue(1040);
    assertThat(PrometheusText.sum(TEXT, "http_requests_total", Map.of("method", "post")))
        .hasValue(1030);
    assertThat(
            PrometheusText.sum(
                TEXT, "http_requests_total", Map.of("method", "post", "code", "400")))
        .hasValue(3);
    assertThat(PrometheusText.sum(TEXT, "http_requests_total", Map.of("path", "/a \"b\", c")))
        .hasValue(10);
    assertThat(
            PrometheusText.sum(
                TEXT, "msdos_file_access_time_seconds", Map.of("path", "C:\\DIR\\FILE.TXT")))
        .hasValue(1.458255915e9);
  }

  @Test
  void absentMalformedAndNanSeriesGiveNothing() {
    assertThat(PrometheusText.sum(TEXT, "nope", Map.of())).isEmpty();
    assertThat(PrometheusText.sum(TEXT, "broken", Map.of())).isEmpty();
    assertThat(PrometheusText.sum(TEXT, "gauge_nan", Map.of())).isEmpty();
    assertThat(PrometheusText.sum(TEXT, "http_requests_total", Map.of("method", "put"))).isEmpty();
  }

  @Test
  void ratesOfCountersSurviveResets() {
    CounterRates rates = new CounterRates();
    Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
    assertThat(rates.update("a", t0, 100)).isNull();
    assertThat(rates.update("a", t0.plusSeconds(10), 300)).isEqualTo(20.0);
    // the process restarted: 50 requests since the reset, not -250
    assertThat(rates.update("a", t0.plusSeconds(20), 50)).isEqualTo(5.0);
    assertThat(rates.update("a", t0.plusSeconds(20), 70)).isNull(); // no time passed
    assertThat(rates.update("a", t0.plusSeconds(25), 100)).isEqualTo(10.0);
    assertThat(rates.update("b", t0.plusSeconds(25), 1)).isNull();
  }
}
