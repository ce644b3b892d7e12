package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Rotation through the orchestrator: the job, the revision, events, refusals, the quota. */
class OrchestratorRotationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String FIRST = SecretGuard.secret("core-rotation-first");
  private static final String SECOND = SecretGuard.secret("core-rotation-second");
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryPlatform platform = InMemoryPlatform.create();

  static StackSpec stack(String name, int replicas) {
    return StackSpec.builder(name)
        .secret(SecretSpec.of("token", FileContent.secret(FIRST)))
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .replicas(replicas)
                .secret("token"))
        .service(ServiceSpec.builder("other", "stackwright/workload:test"))
        .build();
  }

  @Test
  void aRotationIsARotateJobAcceptedAsTheNextRevision() {
    try (Orchestrator o =
        Orchestrator.builder().platform(platform).inMemoryStore().listener(events::add).build()) {
      StackHandle shop = o.stack("shop");
      assertThat(shop.deploy(stack("shop", 2)).await(WAIT).succeeded()).isTrue();
      long before = shop.desired().orElseThrow().revision();
      Instant since = Instant.now().minusSeconds(1);

      Deployment rotation = shop.rotateSecret("token", FileContent.secret(SECOND));
      DeploymentResult result = rotation.await(WAIT);

      assertThat(result.succeeded()).as(result.message()).isTrue();
      StackSpec applied = platform.applied("shop").orElseThrow();
      assertThat(applied.secrets().get("token").content()).isEqualTo(FileContent.secret(SECOND));
      assertThat(applied.service("web").updatePolicy().order())
          .isEqualTo(UpdatePolicy.Order.START_FIRST);
      assertThat(applied.service("other")).isEqualTo(stack("shop", 2).service("other"));
      assertThat(shop.desired().orElseThrow().revision()).isEqualTo(before + 1);
      assertThat(shop.jobs()).anyMatch(j -> j.kind() == JobKind.ROTATE);
      EventDetail.ContentRotated rotated =
          rotation.events().stream()
              .map(OrchestratorEvent::detail)
              .filter(d -> d instanceof EventDetail.ContentRotated)
              .map(d -> (EventDetail.ContentRotated) d)
              .findFirst()
              .orElseThrow();
      assertThat(rotated.key()).isEqualTo("token");
      assertThat(rotated.services()).containsExactly("web");
      assertThat(rotated.revision()).isEqualTo(before + 1);
      assertThat(events).anyMatch(e -> e.type() == EventType.CONTENT_ROTATED);
      // one start, one end, as a deploy
      assertThat(rotation.events())
          .filteredOn(e -> e.type() == EventType.DEPLOYMENT_STARTED)
          .hasSize(1);
      assertThat(rotation.events())
          .filteredOn(e -> e.type() == EventType.DEPLOYMENT_SUCCEEDED)
          .hasSize(1);
      assertThat(events).noneMatch(e -> e.toString().contains(SECOND));
      assertThat(shop.history(since, Instant.now().plusSeconds(1)))
          .anyMatch(e -> "rotate".equals(e.jobKind()) && e.outcome().equals("succeeded"))
          .noneMatch(e -> e.summary().contains(SECOND));
    }
  }

  @Test
  void anUnknownKeyOrStackIsRefusedAndNothingIsWritten() {
    try (Orchestrator o = Orchestrator.builder().platform(platform).inMemoryStore().build()) {
      StackHandle shop = o.stack("shop");
      shop.deploy(stack("shop", 2)).await(WAIT);
      long revision = shop.desired().orElseThrow().revision();
      int jobs = shop.jobs().size();
      int writes = platform.writes().size();

      assertThatThrownBy(() -> shop.rotateSecret("tokn", FileContent.secret("s3cr3t-x")))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("secrets.tokn")
          .hasMessageContaining("[token]")
          .hasMessageNotContaining("s3cr3t-x");
      assertThatThrownBy(() -> shop.rotateConfig("token", FileContent.plain("x")))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("declares none");
      assertThatThrownBy(() -> o.stack("nope").rotateSecret("token", FileContent.secret("x")))
          .isInstanceOf(NotFoundException.class);

      assertThat(shop.desired().orElseThrow().revision()).isEqualTo(revision);
      assertThat(shop.jobs()).hasSize(jobs);
      assertThat(platform.writes()).hasSize(writes);
    }
  }

  @Test
  void theStartFirstSurgeCountsAgainstTheTenantsQuota() {
    Tenant acme = Tenant.builder("acme").quota(TenantQuota.builder().replicas(5).build()).build();
    try (Orchestrator o =
        Orchestrator.builder().platform(platform).inMemoryStore().tenant(acme).build()) {
      StackHandle shop = o.tenant("acme").stack("shop");
      // 4 + 1 replicas: the quota is full; a stop-first deploy needs no more
      assertThat(shop.deploy(stack("shop", 4)).await(WAIT).succeeded()).isTrue();
      long revision = shop.desired().orElseThrow().revision();

      // start-first runs one more replica of web while it rolls
      assertThatThrownBy(() -> shop.rotateSecret("token", FileContent.secret("next")))
          .isInstanceOf(QuotaExceededException.class);
      assertThat(shop.desired().orElseThrow().revision()).isEqualTo(revision);
      assertThat(shop.jobs()).noneMatch(j -> j.kind() == JobKind.ROTATE);
    }
  }
}
