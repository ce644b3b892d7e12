package io.stackwright.core.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeployJobPayloadTest {
  @Test
  void theOptionsComeBackAsSubmittedAndTheHeadIsUntouched() {
    DeployOptions options =
        new DeployOptions(false, Duration.ofSeconds(90)).keepingFailedFirstDeploy();
    String payload = DeployJobPayload.of("abc123 secret db_password", options);

    assertThat(DeployJobPayload.head(payload)).isEqualTo("abc123 secret db_password");
    assertThat(DeployJobPayload.options(payload)).isEqualTo(options);
  }

  @Test
  void aPayloadWithoutOptionsIsAnOlderJobAndGetsTheDefaults() {
    assertThat(DeployJobPayload.head("abc123")).isEqualTo("abc123");
    assertThat(DeployJobPayload.options("abc123")).isEqualTo(DeployOptions.defaults());
  }

  @Test
  void anUnreadableOptionsLineIsRefusedSayingWhat() {
    assertThatThrownBy(() -> DeployJobPayload.options("abc\noptions wait=true timeout=soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("options wait=true timeout=soon");
    assertThatThrownBy(
            () ->
                DeployJobPayload.options(
                    "abc\noptions wait=true timeout=soon keep-failed-first=false"))
        .hasMessage("the job's deploy timeout is not a duration: soon");
  }
}
