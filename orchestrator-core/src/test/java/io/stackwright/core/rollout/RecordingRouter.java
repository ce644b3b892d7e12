package io.stackwright.core.rollout;

import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.Router;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A router that remembers every split it was asked for. */
final class RecordingRouter implements Router {
  final List<Map<String, Integer>> weights = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public StackSpec prepare(StackSpec stack) {
    return stack;
  }

  @Override
  public void publish(StackSpec stack, EventListener events) {}

  @Override
  public void setWeights(
      String stack, String route, Map<String, Integer> split, EventListener events) {
    weights.add(Map.copyOf(split));
  }

  @Override
  public void withdraw(String stack, EventListener events) {}

  /** The share the canary copy of {@code service} gets now. */
  int nextShare(String service) {
    return weights.isEmpty()
        ? 0
        : weights.get(weights.size() - 1).getOrDefault(service + "-next", 0);
  }
}
