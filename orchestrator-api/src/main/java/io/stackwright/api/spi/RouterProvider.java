package io.stackwright.api.spi;

import java.util.Map;

/**
 * Creates a {@link Router}. Routers list their provider in {@code
 * META-INF/services/io.stackwright.api.spi.RouterProvider}; the orchestrator finds it by name
 * through {@link java.util.ServiceLoader}.
 */
public interface RouterProvider {

  /** The name a host application chooses it by ({@code traefik}). */
  String name();

  /**
   * A router configured by {@code properties} (each provider documents its keys, such as {@code
   * traefik.provider}).
   */
  Router create(Map<String, String> properties);
}
