package io.stackwright.traefik;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Traefik v3's static configuration ({@code traefik.yml}) matching what a {@link TraefikRouter}
 * publishes: entry points (optionally redirecting HTTP to HTTPS), ACME certificate resolvers with
 * the HTTP or TLS challenge, and the providers. Providers are never exposed by default: only
 * services with {@code traefik.enable=true} (which Stackwright sets on routed services) are routed.
 *
 * <pre>{@code
 * String yaml = TraefikStaticConfig.builder()
 *     .entryPoint("web", ":80").entryPoint("websecure", ":443")
 *     .redirectToHttps("web", "websecure")
 *     .acmeHttpChallenge("le", "ops@example.com", "/letsencrypt/acme.json", "web")
 *     .swarmProvider("shop_front")
 *     .build().toYaml();
 * }</pre>
 */
public final class TraefikStaticConfig {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private final Map<String, Object> tree;

  private TraefikStaticConfig(Map<String, Object> tree) {
    this.tree = tree;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configuration as a tree (maps, lists, strings, numbers, booleans). */
  public Map<String, Object> tree() {
    return tree;
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a {@link TraefikStaticConfig}; every setter returns the builder. */
  public static final class Builder {
    private final Map<String, Map<String, Object>> entryPoints = new LinkedHashMap<>();
    private final Map<String, Object> resolvers = new LinkedHashMap<>();
    private final Map<String, Object> providers = new LinkedHashMap<>();

    private Builder() {}

    /** An entry point listening on {@code address} ({@code :80}). */
    public Builder entryPoint(String name, String address) {
      Map<String, Object> entryPoint = new LinkedHashMap<>();
      entryPoint.put("address", Objects.requireNonNull(address, "address"));
      entryPoints.put(name, entryPoint);
      return this;
    }

    /** Redirects every request on entry point {@code from} to HTTPS on {@code to}, permanently. */
    public Builder redirectToHttps(String from, String to) {
      Map<String, Object> entryPoint = entryPoints.get(from);
      if (entryPoint == null || !entryPoints.containsKey(to)) {
        throw new IllegalArgumentException(
            "declare entry points " + from + " and " + to + " before redirecting between them");
      }
      entryPoint.put(
          "http",
          Map.of(
              "redirections",
              Map.of("entryPoint", ordered("to", to, "scheme", "https", "permanent", true))));
      return this;
    }

    /** An ACME (Let's Encrypt) resolver answering the HTTP-01 challenge on {@code entryPoint}. */
    public Builder acmeHttpChallenge(
        String resolver, String email, String storage, String entryPoint) {
      if (!entryPoints.containsKey(entryPoint)) {
        throw new IllegalArgumentException(
            "the HTTP challenge needs entry point " + entryPoint + "; declare it first");
      }
      return acme(resolver, email, storage, "httpChallenge", Map.of("entryPoint", entryPoint));
    }

    /** An ACME resolver answering the TLS-ALPN-01 challenge (on port 443). */
    public Builder acmeTlsChallenge(String resolver, String email, String storage) {
      return acme(resolver, email, storage, "tlsChallenge", Map.of());
    }

    private Builder acme(
        String resolver, String email, String storage, String challenge, Map<String, Object> how) {
      Map<String, Object> acme = new LinkedHashMap<>();
      acme.put("email", Objects.requireNonNull(email, "email"));
      acme.put("storage", Objects.requireNonNull(storage, "storage"));
      acme.put(challenge, how);
      resolvers.put(resolver, Map.of("acme", acme));
      return this;
    }

    /** Traefik's Swarm provider, reaching services on {@code network} (engine name). */
    public Builder swarmProvider(String network) {
      return labelProvider("swarm", network);
    }

    /** Traefik's Docker provider (single engine), reaching containers on {@code network}. */
    public Builder dockerProvider(String network) {
      return labelProvider("docker", network);
    }

    private Builder labelProvider(String name, String network) {
      Map<String, Object> provider = new LinkedHashMap<>();
      provider.put("endpoint", "unix:///var/run/docker.sock");
      provider.put("exposedByDefault", false);
      if (network != null) {
        provider.put("network", network);
      }
      providers.put(name, provider);
      return this;
    }

    /** Traefik's file provider, watching {@code directory}. */
    public Builder fileProvider(String directory) {
      providers.put("file", ordered("directory", directory, "watch", true));
      return this;
    }

    /**
     * Traefik's HTTP provider, polling {@code endpoint} every {@code pollInterval} ({@code 5s}).
     */
    public Builder httpProvider(String endpoint, String pollInterval) {
      providers.put("http", ordered("endpoint", endpoint, "pollInterval", pollInterval));
      return this;
    }

    /** The static configuration that reads what {@code router} publishes. */
    public Builder providerFor(TraefikRouter router, String networkOrEndpoint, String directory) {
      switch (router.provider()) {
        case SWARM -> swarmProvider(networkOrEndpoint);
        case DOCKER -> dockerProvider(networkOrEndpoint);
        case FILE -> fileProvider(directory);
        case HTTP -> httpProvider(networkOrEndpoint, "5s");
      }
      if (router.provider().usesLabels() && directory != null) {
        fileProvider(directory);
      }
      return this;
    }

    /** A mapping in the order given, so that the YAML reads the same on every run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
      return map;
    }

    public TraefikStaticConfig build() {
      if (entryPoints.isEmpty()) {
        throw new IllegalArgumentException("Traefik needs at least one entry point");
      }
      if (providers.isEmpty()) {
        throw new IllegalArgumentException("Traefik needs at least one provider");
      }
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("entryPoints", entryPoints);
      if (!resolvers.isEmpty()) {
        tree.put("certificatesResolvers", resolvers);
      }
      tree.put("providers", providers);
      return new TraefikStaticConfig(tree);
    }
  }
}
