package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.PlatformContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

  @Test
  void defaultsBoundEveryKindOfCall() {
    EngineSettings settings = EngineSettings.from(context(Map.of()));
    assertThat(settings).isEqualTo(EngineSettings.DEFAULTS);
    assertThat(settings.connect()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.response()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.longWait()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.eventWindow()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void propertiesSetEachDeadline() {
    EngineSettings settings =
        EngineSettings.from(
            context(
                Map.of(
                    EngineSettings.CONNECT, "500ms",
                    EngineSettings.RESPONSE, "2",
                    EngineSettings.WAIT, "PT90S",
                    EngineSettings.EVENTS, "1.5m")));
    assertThat(settings)
        .isEqualTo(
            new EngineSettings(
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                Duration.ofSeconds(90),
                Duration.ofSeconds(90)));
  }

  @Test
  void aDurationThatIsNoneNamesThePropertyAndTheForm() {
    for (String bad : new String[] {"soon", "0", "-3s", "PT0S"}) {
      assertThatThrownBy(() -> EngineSettings.from(context(Map.of(EngineSettings.RESPONSE, bad))))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining(EngineSettings.RESPONSE)
          .hasMessageContaining("\"" + bad + "\"")
          .hasMessageContaining("30s");
    }
  }

  @Test
  void deadlinesReadAsPeopleSayThem() {
    assertThat(EngineSettings.describe(Duration.ofSeconds(30))).isEqualTo("30 s");
    assertThat(EngineSettings.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(EngineSettings.describe(Duration.ofMillis(250))).isEqualTo("250 ms");
  }

  private static PlatformContext context(Map<String, String> properties) {
    return new PlatformContext(Clock.systemUTC(), Executors.newSingleThreadExecutor(), properties);
  }
}
