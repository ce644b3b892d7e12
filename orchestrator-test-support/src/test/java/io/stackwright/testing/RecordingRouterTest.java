package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the recording router lets a test ask afterwards. */
class RecordingRouterTest {
  private final StackSpec shop =
      StackSpec.builder("shop")
          .service(
              ServiceSpec.builder("web", "shop:1")
                  .routing(
                      RoutingPolicy.builder()
                          .port(8080)
                          .route(Route.builder("main").host("shop.test").build())
                          .build())
                  .build())
          .build();

  @Test
  void recordsEveryCallInOrderAndAnswersQuestionsAboutThem() {
    RecordingRouter router =
        RecordingRouter.builder()
            .problems(s -> List.of(SpecProblem.at("services.web", "no TLS")))
            .preparing(
                s ->
                    s.toBuilder()
                        .service(s.service("web").toBuilder().label("routed", "yes").build())
                        .build())
            .build();

    assertThat(router.validate(shop)).extracting(SpecProblem::message).containsExactly("no TLS");
    StackSpec prepared = router.prepare(shop);
    router.publish(prepared, e -> {});
    router.setWeights("shop", "web", Map.of("web", 90, "web-next", 10), e -> {});
    router.setWeights("shop", "web", Map.of("web", 50, "web-next", 50), e -> {});
    router.readinessChanged("shop", "web", "10.0.0.1", true);
    router.readinessChanged("shop", "web", "10.0.0.2", true);
    router.readinessChanged("shop", "web", "10.0.0.1", false);

    assertThat(prepared.service("web").labels()).containsEntry("routed", "yes");
    assertThat(router.calls())
        .extracting(c -> c.getClass().getSimpleName())
        .startsWith("Validated", "Prepared", "Published", "WeightsSet", "WeightsSet");
    assertThat(router.weightHistory("shop", "web"))
        .extracting(w -> w.get("web-next"))
        .containsExactly(10, 50);
    assertThat(router.weights("shop", "web")).contains(Map.of("web", 50, "web-next", 50));
    assertThat(router.readyAddresses("shop", "web")).containsExactly("10.0.0.2");
    assertThat(router.published("shop")).contains(prepared);

    router.withdraw("shop", e -> {});
    router.close();
    assertThat(router.isPublished("shop")).isFalse();
    assertThat(router.calls(RecordingRouter.Closed.class)).hasSize(1);
    assertThat(router.calls("shop")).hasSize(9);
  }
}
