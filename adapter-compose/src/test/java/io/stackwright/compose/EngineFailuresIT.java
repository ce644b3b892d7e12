package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.PlatformContext;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What fails, fails early and says so in the engine's words. */
class EngineFailuresIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  @Test
  void aMissingImageFailsBeforeAnythingIsCreated() {
    String name = support.stack("noimage");
    StackSpec stack =
        StackSpec.builder(name)
            .network(NetworkSpec.of("backend"))
            .service(ComposeTestSupport.service("ok").network("backend").build())
            .service(
                ServiceSpec.builder("ghost", "stackwright/does-not-exist:1")
                    .network("backend")
                    .build())
            .build();
    assertThatThrownBy(() -> platform.apply(stack, platform.plan(stack), e -> {}))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("No such image")
        .hasMessageContaining("stackwright/does-not-exist:1")
        .satisfies(e -> assertThat(((PlatformException) e).retryable()).isFalse());
    assertThat(labelled("container", name)).isEmpty();
    assertThat(labelled("network", name)).isEmpty();
  }

  @Test
  void anEngineThatDoesNotAnswerIsUnavailableAndRetryable() {
    PlatformContext nowhere =
        new PlatformContext(
            Clock.systemUTC(),
            support.executor,
            Map.of(PlatformContext.DOCKER_HOST, "unix:///tmp/cptest-no-such.sock"));
    ComposePlatformProvider provider = new ComposePlatformProvider();
    Availability availability = provider.availability(nowhere);
    assertThat(availability.available()).isFalse();
    assertThat(availability.reason()).contains("unix:///tmp/cptest-no-such.sock");
    try (ComposePlatform offline = new ComposePlatform(nowhere)) {
      assertThatThrownBy(() -> offline.status("cptest-x"))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("listing the containers of project cptest-x")
          .satisfies(e -> assertThat(((PlatformException) e).retryable()).isTrue());
    }
    Availability local = provider.availability(support.context);
    assertThat(local.available()).isTrue();
    assertThat(local.reason()).startsWith("Docker 20.10").contains("API 1.41");
  }
}
