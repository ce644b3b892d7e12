package io.stackwright.api.event;

/** Receives events. Called on the orchestrator's threads: return quickly, do not block. */
@FunctionalInterface
public interface EventListener {
  void onEvent(OrchestratorEvent event);

  /** A listener that drops everything. */
  static EventListener none() {
    return event -> {};
  }
}
