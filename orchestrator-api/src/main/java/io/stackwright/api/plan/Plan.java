package io.stackwright.api.plan;

import java.util.List;
import java.util.Objects;

/**
 * What a deployment will change, in the order it will be applied. An unchanged stack has an empty
 * plan, and applying an empty plan writes nothing.
 *
 * @param stack the stack name
 * @param changes creates, updates and deletes, in apply order
 */
public record Plan(String stack, List<Change> changes) {
  public Plan {
    Objects.requireNonNull(stack, "stack");
    changes = List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The changes to one kind of resource. */
  public List<Change> changesOf(ResourceKind kind) {
    return changes.stream().filter(c -> c.kind() == kind).toList();
  }

  /** Keys of the services this plan creates or updates: the ones a deployment waits for. */
  public List<String> changedServices() {
    return changes.stream()
        .filter(c -> c.kind() == ResourceKind.SERVICE && !(c instanceof Change.Delete))
        .map(Change::key)
        .toList();
  }

  @Override
  public String toString() {
    if (changes.isEmpty()) {
      return "plan for " + stack + ": no changes";
    }
    StringBuilder text = new StringBuilder("plan for " + stack + ":");
    changes.forEach(c -> text.append("\n  ").append(c));
    return text.toString();
  }
}
