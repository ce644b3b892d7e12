package io.stackwright.api;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the parts of a loaded {@link StackSpec} came from, so that a problem found after loading
 * (by admission, a platform, a router) points at file, line and column like the loader's own. The
 * loader attaches a locator to each stack it returns; a stack built in code has none, and its
 * problems keep their key paths only. Held weakly by the stack's identity: a stack that is no
 * longer used takes its locator with it.
 */
public final class SpecSources {
  private SpecSources() {}

  /** Finds where a key path ({@code services.web.cap_add[0]}) was written. */
  @FunctionalInterface
  public interface Locator {
    /** {@code problem} with its file, line and column filled in; as it is when unknown. */
    SpecProblem locate(SpecProblem problem);
  }

  private static final ReferenceQueue<StackSpec> CLEARED = new ReferenceQueue<>();
  private static final Map<Key, Locator> LOCATORS = new HashMap<>();

  /** A weak reference compared by the identity of what it refers to. */
  private static final class Key extends WeakReference<StackSpec> {
    private final int hash;

    Key(StackSpec stack, ReferenceQueue<StackSpec> queue) {
      super(stack, queue);
      this.hash = System.identityHashCode(stack);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && (k == this || (k.get() != null && k.get() == get()));
    }
  }

  /** Attaches {@code locator} to {@code stack} (the loader does, for each stack it returns). */
  public static void attach(StackSpec stack, Locator locator) {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(locator, "locator");
    synchronized (LOCATORS) {
      expunge();
      LOCATORS.put(new Key(stack, CLEARED), locator);
    }
  }

  /** {@code problems} located in {@code stack}'s sources, where it has any. */
  public static List<SpecProblem> locate(StackSpec stack, List<SpecProblem> problems) {
    Locator locator;
    synchronized (LOCATORS) {
      expunge();
      locator = LOCATORS.get(new Key(stack, null));
    }
    if (locator == null || problems.isEmpty()) {
      return problems;
    }
    List<SpecProblem> located = new ArrayList<>(problems.size());
    for (SpecProblem problem : problems) {
      located.add(problem.file() != null ? problem : locator.locate(problem));
    }
    return located;
  }

  private static void expunge() {
    for (Object cleared; (cleared = CLEARED.poll()) != null; ) {
      LOCATORS.remove(cleared);
    }
  }
}
