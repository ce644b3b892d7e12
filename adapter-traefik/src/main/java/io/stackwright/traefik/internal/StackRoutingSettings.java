package io.stackwright.traefik.internal;

import io.stackwright.api.StackSpec;
import java.util.Map;

/**
 * Stack-wide routing settings from the stack's top-level {@code x-stackwright.routing} ({@code
 * require_tls: true} demands TLS on every route of the stack).
 */
final class StackRoutingSettings {
  private StackRoutingSettings() {}

  static boolean requireTls(StackSpec stack) {
    if (stack.extensions().get("x-stackwright") instanceof Map<?, ?> stackwright
        && stackwright.get("routing") instanceof Map<?, ?> routing) {
      Object value = routing.get("require_tls");
      return Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value));
    }
    return false;
  }
}
