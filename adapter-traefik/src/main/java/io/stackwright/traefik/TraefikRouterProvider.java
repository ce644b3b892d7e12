package io.stackwright.traefik;

import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.RouterProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds {@link TraefikRouter} by the name {@code traefik}. Properties: {@value #PROVIDER} ({@code
 * swarm} (default), {@code docker}, {@code file}, {@code http}), {@value #DIRECTORY} (the file
 * provider's directory), {@value #REQUIRE_TLS} ({@code true} refuses routes without TLS).
 */
public final class TraefikRouterProvider implements RouterProvider {
  public static final String PROVIDER = "traefik.provider";
  public static final String DIRECTORY = "traefik.directory";
  public static final String REQUIRE_TLS = "traefik.require-tls";

  @Override
  public String name() {
    return "traefik";
  }

  @Override
  public Router create(Map<String, String> properties) {
    TraefikRouter.Builder builder =
        TraefikRouter.builder(TraefikProvider.named(properties.getOrDefault(PROVIDER, "swarm")))
            .requireTls(Boolean.parseBoolean(properties.getOrDefault(REQUIRE_TLS, "false")));
    String directory = properties.get(DIRECTORY);
    if (directory != null) {
      builder.directory(Path.of(directory));
    }
    return builder.build();
  }
}
