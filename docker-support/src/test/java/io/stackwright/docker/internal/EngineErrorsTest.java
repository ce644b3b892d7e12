package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConflictException;
import io.stackwright.api.PlatformException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class EngineErrorsTest {

  @Test
  void aStaleVersionIndexAndHttp409AreConflicts() {
    var conflict =
        EngineErrors.fromStatus(
            "updating service shop_web (version 12)",
            500,
            EngineErrors.engineMessage(
                "Status 500: {\"message\":\"rpc error: code = Unknown desc = update out of"
                    + " sequence\"}\n"),
            null);
    assertThat(conflict)
        .isInstanceOf(ConflictException.class)
        .hasMessageStartingWith("updating service shop_web (version 12) failed")
        .hasMessageContaining("update out of sequence")
        .hasMessageContaining("plan again and retry");
    assertThat(
            EngineErrors.fromStatus(
                "creating network x", 409, "network with name x already exists", null))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void http404IsEngineNotFoundWithTheEnginesMessage() {
    var notFound =
        EngineErrors.fromStatus("inspecting container c", 404, "No such container: c", null);
    assertThat(notFound).isInstanceOf(EngineErrors.EngineNotFound.class);
    assertThat(((EngineErrors.EngineNotFound) notFound).engineMessage())
        .isEqualTo("No such container: c");
    assertThat(((PlatformException) notFound).retryable()).isFalse();
  }

  @Test
  void unavailableEnginesAndLostQuorumAreRetryable() {
    var other = EngineErrors.fromStatus("creating service x", 400, "invalid mount", null);
    assertThat(other)
        .isInstanceOf(PlatformException.class)
        .isNotInstanceOf(ConflictException.class);
    assertThat(((PlatformException) other).retryable()).isFalse();
    for (int status : new int[] {502, 503, 504}) {
      assertThat(
              ((PlatformException) EngineErrors.fromStatus("x", status, "down", null)).retryable())
          .isTrue();
    }
    assertThat(
            ((PlatformException)
                    EngineErrors.fromStatus(
                        "listing services",
                        500,
                        "rpc error: code = Unavailable desc = The swarm does not have a leader",
                        null))
                .retryable())
        .isTrue();
  }

  @Test
  void theEnginesJsonMessageOrThePlainText() {
    assertThat(EngineErrors.engineMessage("{\"message\": \"no such image\"}"))
        .isEqualTo("no such image");
    assertThat(EngineErrors.engineMessage("plain text")).isEqualTo("plain text");
    assertThat(EngineErrors.engineMessage(null)).isEmpty();
  }

  @Test
  void connectionFailuresAreRetryablePlatformExceptions() {
    var e =
        EngineErrors.translate(
            "listing services",
            "tcp://127.0.0.1:1",
            new RuntimeException(new ConnectException("refused")));
    assertThat(e).isInstanceOf(PlatformException.class);
    assertThat(((PlatformException) e).retryable()).isTrue();
    assertThat(e.getMessage())
        .startsWith(
            "listing services failed: the Docker engine at tcp://127.0.0.1:1 did not answer")
        .contains("refused");
  }
}
