package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineOperationsTest {

  @Test
  void objectAndActionNeverAnId() {
    assertThat(EngineOperations.name("POST", "/services/k2x9q/update?version=12"))
        .isEqualTo("service.update");
    assertThat(EngineOperations.name("GET", "/v1.41/services/k2x9q")).isEqualTo("service.inspect");
    assertThat(EngineOperations.name("GET", "/services?filters=%7B%7D")).isEqualTo("service.list");
    assertThat(EngineOperations.name("POST", "/services/create")).isEqualTo("service.create");
    assertThat(EngineOperations.name("DELETE", "/services/k2x9q")).isEqualTo("service.remove");
    assertThat(EngineOperations.name("GET", "/containers/json?all=1")).isEqualTo("container.list");
    assertThat(EngineOperations.name("GET", "/containers/abc/json")).isEqualTo("container.inspect");
    assertThat(EngineOperations.name("POST", "/containers/abc/stop?t=10"))
        .isEqualTo("container.stop");
    assertThat(EngineOperations.name("POST", "/containers/abc/exec")).isEqualTo("container.exec");
    assertThat(EngineOperations.name("GET", "/containers/abc/stats?stream=false"))
        .isEqualTo("container.stats");
    assertThat(EngineOperations.name("POST", "/exec/e1/start")).isEqualTo("exec.start");
    assertThat(EngineOperations.name("GET", "/exec/e1/json")).isEqualTo("exec.inspect");
    assertThat(EngineOperations.name("GET", "/networks/docker_gwbridge"))
        .isEqualTo("network.inspect");
    assertThat(EngineOperations.name("GET", "/images/stackwright/workload:test/json"))
        .isEqualTo("image.inspect");
    assertThat(EngineOperations.name("POST", "/configs/c1/update?version=3"))
        .isEqualTo("config.update");
    assertThat(EngineOperations.name("GET", "/info")).isEqualTo("engine.info");
    assertThat(EngineOperations.name("GET", "/_ping")).isEqualTo("engine.ping");
    assertThat(EngineOperations.name("GET", "/events?since=1")).isEqualTo("engine.events");
    assertThat(EngineOperations.name("GET", "/swarm")).isEqualTo("swarm.inspect");
    assertThat(EngineOperations.name("GET", "/tasks?filters=x")).isEqualTo("task.list");
  }

  @Test
  void whatIsNotKnownIsOther() {
    assertThat(EngineOperations.name("POST", "/containers/abc/some-id-like-thing"))
        .isEqualTo("container.other");
    assertThat(EngineOperations.name("GET", "/whatever/123")).isEqualTo("engine.other");
    assertThat(EngineOperations.name("GET", "/")).isEqualTo("engine.other");
    assertThat(EngineOperations.name(null, null)).isEqualTo("engine.other");
  }
}
