package io.stackwright.traefik;

import java.util.Arrays;
import java.util.Locale;

/** Where Traefik reads the routes Stackwright generates. */
public enum TraefikProvider {
  /** Labels on Swarm services (Traefik's {@code swarm} provider). */
  SWARM("swarm"),
  /** Labels on containers, for a single engine (Traefik's {@code docker} provider). */
  DOCKER("docker"),
  /** YAML files in a directory (Traefik's {@code file} provider, {@code watch: true}). */
  FILE("file"),
  /** A JSON document served over HTTP (Traefik's {@code http} provider). */
  HTTP("http");

  private final String traefikName;

  TraefikProvider(String traefikName) {
    this.traefikName = traefikName;
  }

  /** The provider's name in Traefik, used after {@code @} in cross-provider references. */
  public String traefikName() {
    return traefikName;
  }

  public boolean usesLabels() {
    return this == SWARM || this == DOCKER;
  }

  /** The provider named {@code name} ({@code labels} means {@link #SWARM}). */
  public static TraefikProvider named(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("labels")) {
      return SWARM;
    }
    return Arrays.stream(values())
        .filter(p -> p.traefikName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown Traefik provider '"
                        + name
                        + "'; use labels, swarm, docker, file or http"));
  }
}
