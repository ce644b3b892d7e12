package io.stackwright.core.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.EventDetail.Resource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RotationTest {
  private static final UpdatePolicy STOP_FIRST =
      new UpdatePolicy(
          2,
          Duration.ofSeconds(1),
          UpdatePolicy.FailureAction.ROLLBACK,
          Duration.ofSeconds(3),
          0.5,
          UpdatePolicy.Order.STOP_FIRST);

  static StackSpec stack() {
    return StackSpec.builder("shop")
        .secret(SecretSpec.of("token", FileContent.secret("old-token")))
        .secret(SecretSpec.of("db", FileContent.secret("db-password")))
        .secret(SecretSpec.external("vault", "vault_token"))
        .config(ConfigSpec.of("conf", FileContent.plain("a=1")))
        .service(
            ServiceSpec.builder("web", "img")
                .replicas(3)
                .secret("token")
                .config("conf", "/conf.txt")
                .updatePolicy(STOP_FIRST)
                .build())
        .service(ServiceSpec.builder("worker", "img").secret("token").secret("db").build())
        .service(ServiceSpec.builder("cache", "img").build())
        .build();
  }

  @Test
  void replacesOnlyTheRotatedContentAndRollsItsDependantsStartFirst() {
    StackSpec accepted = stack();
    FileContent fresh =
        FileContent.secret("new-token").withOrigin(FileContent.Origin.file(Path.of("/run/t")));
    Rotation rotation = Rotation.of(accepted, Resource.SECRET, "token", fresh);

    assertThat(rotation.dependants()).containsExactly("web", "worker");
    StackSpec rotated = rotation.spec();
    assertThat(rotated.secrets().get("token").content()).isEqualTo(fresh);
    assertThat(rotated.secrets().get("token").content().origin())
        .contains(FileContent.Origin.file(Path.of("/run/t")));
    assertThat(rotated.secrets().get("db")).isEqualTo(accepted.secrets().get("db"));
    assertThat(rotated.secrets().get("vault")).isEqualTo(accepted.secrets().get("vault"));
    assertThat(rotated.configs()).isEqualTo(accepted.configs());
    // the stop-first service keeps everything of its policy but the order
    UpdatePolicy web = rotated.services().get("web").updatePolicy();
    assertThat(web.order()).isEqualTo(UpdatePolicy.Order.START_FIRST);
    assertThat(web.parallelism()).isEqualTo(2);
    assertThat(web.failureAction()).isEqualTo(UpdatePolicy.FailureAction.ROLLBACK);
    assertThat(web.monitor()).isEqualTo(Duration.ofSeconds(3));
    assertThat(rotated.services().get("web").replicas()).isEqualTo(3);
    assertThat(rotated.services().get("worker").updatePolicy().order())
        .isEqualTo(UpdatePolicy.Order.START_FIRST);
    // a service that does not use the secret is not touched
    assertThat(rotated.services().get("cache")).isEqualTo(accepted.services().get("cache"));
    assertThat(rotated.toString()).doesNotContain("new-token");
  }

  @Test
  void aConfigRotatesItsDependantsOnly() {
    Rotation rotation = Rotation.of(stack(), Resource.CONFIG, "conf", FileContent.plain("a=2"));
    assertThat(rotation.dependants()).containsExactly("web");
    assertThat(rotation.spec().configs().get("conf").content()).isEqualTo(FileContent.plain("a=2"));
    assertThat(rotation.spec().services().get("worker"))
        .isEqualTo(stack().services().get("worker"));
    assertThat(rotation.what()).isEqualTo("config");
  }

  @Test
  void anUnknownKeyIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(
            () -> Rotation.of(stack(), Resource.SECRET, "tokn", FileContent.secret("s3cr3t")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("secrets.tokn")
        .hasMessageContaining("[db, token, vault]")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> Rotation.of(stack(), Resource.CONFIG, "token", FileContent.plain("x")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("configs.token")
        .hasMessageContaining("[conf]");
  }

  @Test
  void anExternalOrUnusedSecretIsRefused() {
    assertThatThrownBy(
            () -> Rotation.of(stack(), Resource.SECRET, "vault", FileContent.secret("v")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("secrets.vault")
        .hasMessageContaining("external");
    StackSpec unused =
        stack().toBuilder().secret(SecretSpec.of("spare", FileContent.secret("x"))).build();
    assertThatThrownBy(() -> Rotation.of(unused, Resource.SECRET, "spare", FileContent.secret("y")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("no service of stack shop references it");
  }

  @Test
  void aPayloadNamesTheHashTheKindAndTheKey() {
    Rotation rotation = Rotation.of(stack(), Resource.SECRET, "token", FileContent.secret("n"));
    String payload = rotation.payload("abc123");
    assertThat(payload).isEqualTo("abc123 secret token");
    assertThat(Rotation.hashOf(payload)).isEqualTo("abc123");
    Rotation back = Rotation.fromPayload(payload, rotation.spec());
    assertThat(back.kind()).isEqualTo(Resource.SECRET);
    assertThat(back.key()).isEqualTo("token");
    assertThat(back.dependants()).containsExactly("web", "worker");
  }
}
