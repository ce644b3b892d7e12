package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.state.HealthStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerStatesTest {

  @Test
  void healthWordsMapToTheApi() {
    assertThat(ContainerStates.health("healthy")).isEqualTo(HealthStatus.HEALTHY);
    assertThat(ContainerStates.health("unhealthy")).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(ContainerStates.health("Starting")).isEqualTo(HealthStatus.STARTING);
    assertThat(ContainerStates.health("")).isEqualTo(HealthStatus.NONE);
    assertThat(ContainerStates.health((String) null)).isEqualTo(HealthStatus.NONE);
  }

  @Test
  void aContainerTheEngineStoppedWhileHealthyHasNoVerdict() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    // What 20.10 reports after `docker stop` of a healthy container: unhealthy, streak 0.
    assertThat(
            ContainerStates.health(
                json.readTree(
                    "{\"Status\":\"unhealthy\",\"FailingStreak\":0,\"Log\":[{\"ExitCode\":0}]}")))
        .isEqualTo(HealthStatus.NONE);
    assertThat(
            ContainerStates.health(
                json.readTree(
                    "{\"Status\":\"unhealthy\",\"FailingStreak\":3,\"Log\":[{\"ExitCode\":1}]}")))
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(ContainerStates.health(json.readTree("{\"Status\":\"healthy\"}")))
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(ContainerStates.health(json.readTree("{}"))).isEqualTo(HealthStatus.NONE);
  }

  @Test
  void theZeroTimeAndGarbageAreNoTime() {
    assertThat(ContainerStates.time("0001-01-01T00:00:00Z")).isNull();
    assertThat(ContainerStates.time("yesterday")).isNull();
    assertThat(ContainerStates.time("2026-11-24T03:55:32.723239662Z"))
        .isEqualTo(Instant.parse("2026-11-24T03:55:32.723239662Z"));
    assertThat(ContainerStates.time("2026-11-24T04:55:32+01:00"))
        .isEqualTo(Instant.parse("2026-11-24T03:55:32Z"));
  }

  @Test
  void shortIdsAreTwelveCharacters() {
    assertThat(ContainerStates.shortId("0123456789abcdef")).isEqualTo("0123456789ab");
    assertThat(ContainerStates.shortId("abc")).isEqualTo("abc");
  }

  @Test
  void localMeansThisMachine() {
    assertThat(Engine.isLocal("unix:///var/run/docker.sock")).isTrue();
    assertThat(Engine.isLocal("tcp://127.0.0.1:2375")).isTrue();
    assertThat(Engine.isLocal("tcp://localhost:2375")).isTrue();
    assertThat(Engine.isRemote("tcp://docker.example:2376")).isTrue();
    assertThat(Engine.isRemote("ssh://me@host")).isTrue();
    assertThat(Engine.isRemote("not a uri")).isTrue();
  }
}
