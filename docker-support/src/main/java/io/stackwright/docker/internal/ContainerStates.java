package io.stackwright.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.state.HealthStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How the engine's words for a container (health, timestamps, ids) read in the API's terms. */
public final class ContainerStates {
  private ContainerStates() {}

  /** A container's {@code State.Health.Status}; {@code NONE} without a healthcheck. */
  public static HealthStatus health(String status) {
    if (status == null) {
      return HealthStatus.NONE;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "starting" -> HealthStatus.STARTING;
      case "healthy" -> HealthStatus.HEALTHY;
      case "unhealthy" -> HealthStatus.UNHEALTHY;
      default -> HealthStatus.NONE;
    };
  }

  /**
   * A container's health from its {@code State.Health}. The engine marks every container it stops
   * "unhealthy" with a failing streak of 0 (measured on 20.10: healthy, then {@code docker stop},
   * then unhealthy/0), so unhealthy counts only when the healthcheck itself failed; a stopped
   * container that was healthy has no health verdict.
   */
  public static HealthStatus health(JsonNode health) {
    HealthStatus status = health(health.path("Status").asText(""));
    if (status == HealthStatus.UNHEALTHY && health.path("FailingStreak").asInt() == 0) {
      return HealthStatus.NONE;
    }
    return status;
  }

  /** An engine timestamp; null for the zero time ({@code 0001-01-01T00:00:00Z}) or garbage. */
  public static Instant time(String text) {
    if (text == null || text.isBlank() || text.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException ex) {
        return null;
      }
    }
  }

  /** The 12 characters of an id that {@code docker ps} shows. */
  public static String shortId(String id) {
    return id == null || id.length() <= 12 ? id : id.substring(0, 12);
  }

  /** The longest healthcheck output a task's error quotes. */
  public static final int HEALTH_OUTPUT_LIMIT = 200;

  /**
   * How an unhealthy container's healthcheck failed, from its {@code State.Health}: the failing
   * streak and the last result (its end, exit code and output, shortened).
   */
  public static String lastHealthcheck(JsonNode health) {
    int streak = health.path("FailingStreak").asInt();
    JsonNode log = health.path("Log");
    StringBuilder text = new StringBuilder("healthcheck failed ").append(streak).append(" times");
    if (log.isArray() && !log.isEmpty()) {
      JsonNode last = log.get(log.size() - 1);
      String output = last.path("Output").asText("").strip();
      if (output.length() > HEALTH_OUTPUT_LIMIT) {
        output = output.substring(0, HEALTH_OUTPUT_LIMIT) + "…";
      }
      text.append("; last at ")
          .append(last.path("End").asText("?"))
          .append(" (exit ")
          .append(last.path("ExitCode").asInt())
          .append(")");
      if (!output.isEmpty()) {
        text.append(": ").append(output.replaceAll("\\s+", " "));
      }
    }
    return text.toString();
  }
}
