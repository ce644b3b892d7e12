package io.stackwright.compose.internal;

import io.stackwright.api.spi.PlatformContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The compose platform's settings, from the {@link PlatformContext} properties.
 *
 * @param stateDir where each project's secret and config files and its state are kept
 * @param workingDir written to {@code com.docker.compose.project.working_dir}
 * @param configFiles written to {@code com.docker.compose.project.config_files}
 * @param dependencyTimeout how long a service waits for a dependency to become healthy or complete
 * @param sharedStateDir the engine sees {@code stateDir} at the same path although it is remote
 * @param writeLeaseWait how long a write waits while another process holds the project's write
 *     lease before it fails with a conflict
 */
public record Settings(
    Path stateDir,
    String workingDir,
    String configFiles,
    Duration dependencyTimeout,
    boolean sharedStateDir,
    Duration writeLeaseWait) {

  /**
   * Property: the state directory (default {@code ~/.stackwright/compose}); private to this user
   * (created 0700, refused when owned by another user, writable by others or a symbolic link).
   */
  public static final String STATE_DIR = "compose.state-dir";

  /** Property: the project working directory label (default: this process's working directory). */
  public static final String WORKING_DIR = "compose.working-dir";

  /** Property: the compose files label, comma-separated absolute paths (default: none). */
  public static final String CONFIG_FILES = "compose.config-files";

  /** Property: the dependency timeout, ISO-8601 ({@code PT5M}) or seconds (default 10 minutes). */
  public static final String DEPENDENCY_TIMEOUT = "compose.dependency-timeout";

  /**
   * Property: {@code true} when the engine is remote but sees the state directory at the same path
   * (a shared mount), so secrets and configs can be bind-mounted.
   */
  public static final String SHARED_STATE_DIR = "compose.shared-state-dir";

  static final Duration DEFAULT_DEPENDENCY_TIMEOUT = Duration.ofMinutes(10);

  /** Property: how long a write waits for another process's write lease (default 2 minutes). */
  public static final String WRITE_LEASE_WAIT = "compose.write-lease-wait";

  static final Duration DEFAULT_WRITE_LEASE_WAIT = Duration.ofMinutes(2);

  public static Settings from(PlatformContext context) {
    Path stateDir =
        context
            .property(STATE_DIR)
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .orElseGet(() -> Path.of(System.getProperty("user.home"), ".stackwright", "compose"));
    String workingDir =
        context
            .property(WORKING_DIR)
            .filter(s -> !s.isBlank())
            .orElseGet(() -> Path.of("").toAbsolutePath().toString());
    String configFiles = context.property(CONFIG_FILES).orElse("");
    Duration timeout =
        context
            .property(DEPENDENCY_TIMEOUT)
            .flatMap(Settings::duration)
            .orElse(DEFAULT_DEPENDENCY_TIMEOUT);
    boolean shared = context.property(SHARED_STATE_DIR).map(Boolean::parseBoolean).orElse(false);
    Duration leaseWait =
        context
            .property(WRITE_LEASE_WAIT)
            .flatMap(Settings::duration)
            .orElse(DEFAULT_WRITE_LEASE_WAIT);
    return new Settings(
        stateDir.toAbsolutePath().normalize(), workingDir, configFiles, timeout, shared, leaseWait);
  }

  static Optional<Duration> duration(String text) {
    String t = text.trim();
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(t)));
    } catch (NumberFormatException e) {
      try {
        return Optional.of(Duration.parse(t));
      } catch (DateTimeParseException ex) {
        throw new IllegalArgumentException(
            DEPENDENCY_TIMEOUT + " must be seconds or an ISO-8601 duration (PT5M), was " + text,
            ex);
      }
    }
  }
}
