package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeNamesTest {

  @Test
  void containersAreNamedProjectServiceNumber() {
    assertThat(ComposeNames.container("shop", "web", 1)).isEqualTo("shop-web-1");
    assertThat(ComposeNames.container("shop", "db_main", 12)).isEqualTo("shop-db_main-12");
  }

  @Test
  void aRecreatedContainerStartsUnderTheOldIdPrefix() {
    assertThat(ComposeNames.temporary("0123456789abcdef0123", "shop-web-1"))
        .isEqualTo("0123456789ab_shop-web-1");
  }

  @Test
  void networksAndVolumesAreScopedUnlessNamedOrExternal() {
    StackSpec stack =
        StackSpec.builder("shop")
            .network(NetworkSpec.of("backend"))
            .network(
                new NetworkSpec(
                    "named", "fixed-net", null, Map.of(), false, false, false, List.of(), Map.of()))
            .network(NetworkSpec.external("outside", null))
            .volume(VolumeSpec.of("data"))
            .volume(new VolumeSpec("ext", null, null, Map.of(), true, Map.of()))
            .volume(new VolumeSpec("named", "fixed-vol", null, Map.of(), false, Map.of()))
            .service(ServiceSpec.builder("web", "img").build())
            .build();
    assertThat(ComposeNames.network(stack, "backend")).isEqualTo("shop_backend");
    assertThat(ComposeNames.network(stack, "default")).isEqualTo("shop_default");
    assertThat(ComposeNames.network(stack, "named")).isEqualTo("fixed-net");
    assertThat(ComposeNames.network(stack, "outside")).isEqualTo("outside");
    assertThat(ComposeNames.volume(stack, "data")).isEqualTo("shop_data");
    assertThat(ComposeNames.volume(stack, "ext")).isEqualTo("ext");
    assertThat(ComposeNames.volume(stack, "named")).isEqualTo("fixed-vol");
  }

  @Test
  void dependsOnLabelListsDependencyConditionAndRestart() {
    ServiceSpec web =
        ServiceSpec.builder("web", "img")
            .dependsOn("db", DependsOn.healthy())
            .dependsOn("cache", DependsOn.started())
            .dependsOn(
                "migrate",
                new DependsOn(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, true))
            .build();
    assertThat(ComposeNames.dependsOn(web))
        .isEqualTo(
            "db:service_healthy:false,cache:service_started:false,"
                + "migrate:service_completed_successfully:true");
  }

  @Test
  void numbersComeFromTheLabel() {
    assertThat(ComposeNames.number(Map.of(ComposeNames.NUMBER, "3"))).isEqualTo(3);
    assertThat(ComposeNames.number(Map.of(ComposeNames.NUMBER, "x"))).isZero();
    assertThat(ComposeNames.number(Map.of())).isZero();
  }

  @Test
  void theVersionLabelReadsAsAVersionNumber() {
    assertThat(ComposeNames.COMPOSE_VERSION).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(ComposeNames.mode(ServiceSpec.Mode.REPLICATED_JOB)).isEqualTo("replicated-job");
  }
}
