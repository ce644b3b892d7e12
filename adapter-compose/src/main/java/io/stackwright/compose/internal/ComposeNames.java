package io.stackwright.compose.internal;

import io.stackwright.api.DependsOn;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.docker.internal.ContainerStates;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names and labels exactly as {@code docker compose} v2 gives them, so the compose CLI and
 * Stackwright see each other's projects: {@code <project>-<service>-<n>} containers, {@code
 * <project>_<key>} networks and volumes, and the {@code com.docker.compose.*} labels.
 */
public final class ComposeNames {
  private ComposeNames() {}

  public static final String PROJECT = "com.docker.compose.project";
  public static final String SERVICE = "com.docker.compose.service";
  public static final String NUMBER = "com.docker.compose.container-number";
  public static final String ONEOFF = "com.docker.compose.oneoff";
  public static final String CONFIG_HASH = "com.docker.compose.config-hash";
  public static final String VERSION = "com.docker.compose.version";
  public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
  public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
  public static final String DEPENDS_ON = "com.docker.compose.depends_on";
  public static final String IMAGE = "com.docker.compose.image";
  public static final String REPLACE = "com.docker.compose.replace";
  public static final String NETWORK = "com.docker.compose.network";
  public static final String VOLUME = "com.docker.compose.volume";

  /** Stackwright's own: the replicas asked for when the container was created. */
  public static final String REPLICAS = "io.stackwright.replicas";

  /** Stackwright's own: the service's mode ({@code replicated}, {@code replicated-job}, ...). */
  public static final String MODE = "io.stackwright.mode";

  /**
   * The compose version written in {@code com.docker.compose.version}. Compose compares it with
   * other versions (docker-compose 1.x treats anything older than 1.21.0 as a legacy project name),
   * so it must read as a plain version number.
   */
  public static final String COMPOSE_VERSION = "2.0.0";

  /** {@code com.docker.compose.oneoff} of service containers (compose writes Python's boolean). */
  public static final String ONEOFF_FALSE = "False";

  /** {@code <project>-<service>-<n>}. */
  public static String container(String project, String service, int number) {
    return project + "-" + service + "-" + number;
  }

  /** The name a new container has while it replaces {@code oldId}: {@code <id[:12]>_<name>}. */
  public static String temporary(String oldId, String finalName) {
    return shortId(oldId) + "_" + finalName;
  }

  /**
   * The final name inside a replacement's {@linkplain #temporary temporary name} ({@code
   * 0123456789ab_shop-web-1} gives {@code shop-web-1}); empty for any other name.
   */
  public static java.util.Optional<String> finalName(String name) {
    java.util.regex.Matcher m = TEMPORARY.matcher(name);
    return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("[0-9a-f]{12}_(.+)");

  public static String shortId(String id) {
    return ContainerStates.shortId(id);
  }

  /** The engine name of a network key of the stack ({@code default} included). */
  public static String network(StackSpec stack, String key) {
    NetworkSpec spec = stack.networks().get(key);
    if (spec == null) {
      return stack.name() + "_" + key;
    }
    if (spec.name() != null && !spec.name().isBlank()) {
      return spec.name();
    }
    return spec.external() ? key : stack.name() + "_" + key;
  }

  /** The engine name of a volume key of the stack. */
  public static String volume(StackSpec stack, String key) {
    VolumeSpec spec = stack.volumes().get(key);
    if (spec != null && spec.name() != null && !spec.name().isBlank()) {
      return spec.name();
    }
    return spec != null && spec.external() ? key : stack.name() + "_" + key;
  }

  /** The {@code com.docker.compose.depends_on} value: {@code dep:condition:restart,...}. */
  public static String dependsOn(ServiceSpec service) {
    return service.dependsOn().entrySet().stream()
        .map(e -> e.getKey() + ":" + condition(e.getValue()) + ":" + e.getValue().restart())
        .collect(Collectors.joining(","));
  }

  static String condition(DependsOn dependsOn) {
    return dependsOn.condition().name().toLowerCase(Locale.ROOT);
  }

  public static String mode(ServiceSpec.Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The container number from the label, 0 when it is missing or not a number. */
  public static int number(Map<String, String> labels) {
    String value = labels == null ? null : labels.get(NUMBER);
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
