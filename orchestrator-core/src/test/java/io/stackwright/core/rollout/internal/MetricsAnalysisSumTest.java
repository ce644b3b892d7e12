package io.stackwright.core.rollout.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsAnalysisSumTest {
  @Test
  void sumsEverySampleOfAMetricAndNoOther() {
    String text =
        """
        # HELP http_requests_total all requests
        http_requests_total{code="200",path="/"} 90
        http_requests_total{code="500"} 10 1700000000000
        http_requests_total_created 1.7e9
        http_requests 5
        workload_requests_total 7
        """;

    assertThat(MetricsAnalysis.sum(text, "http_requests_total")).isEqualTo(100.0);
    assertThat(MetricsAnalysis.sum(text, "workload_requests_total")).isEqualTo(7.0);
    assertThat(MetricsAnalysis.sum(text, "missing_total")).isZero();
  }
}
