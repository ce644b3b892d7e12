package io.stackwright.loader.internal;

import io.stackwright.loader.LoadLimits;

/**
 * What one load has used of its {@link LoadLimits}: model characters, nodes, aliases and included
 * files. The first limit passed is reported once, as a located problem that names the setting;
 * {@link #exhausted()} then tells every later stage to stop instead of adding follow-on problems.
 */
public final class LoadBudget {
  private final LoadLimits limits;
  private long chars;
  private long nodes;
  private int aliases;
  private int includes;
  private boolean exhausted;
  private boolean reported;

  public LoadBudget(LoadLimits limits) {
    this.limits = limits;
  }

  /** A budget with the default limits, for parts read on their own (tests, tools). */
  public static LoadBudget defaults() {
    return new LoadBudget(LoadLimits.defaults());
  }

  public LoadLimits limits() {
    return limits;
  }

  /** Whether a limit was passed in this load. */
  public boolean exhausted() {
    return exhausted;
  }

  /**
   * Reports a limit passed, unless one was already reported in this load (what follows from it
   * would only be noise), and marks the budget exhausted.
   */
  void report(Diagnostics diagnostics, Location at, String path, String message) {
    if (!reported) {
      reported = true;
      diagnostics.problem(at, path, message);
    }
    exhausted = true;
  }

  /** Adds characters to the model; false (and exhausted) when that passes the limit. */
  boolean chars(long n) {
    chars += n;
    return within(chars <= limits.maxModelChars());
  }

  /** The characters the model may still grow by. */
  long remainingChars() {
    return Math.max(0, limits.maxModelChars() - chars);
  }

  boolean nodes(long n) {
    nodes += n;
    return within(nodes <= limits.maxNodes());
  }

  boolean alias() {
    aliases++;
    return within(aliases <= limits.maxAliases());
  }

  boolean include() {
    includes++;
    return within(includes <= limits.maxIncludes());
  }

  /** The end of a message about a limit: which setting it is and how to raise it. */
  static String raise(String setting) {
    return " (LoadLimits." + setting + "; raise it with ComposeLoader.Builder.limits)";
  }

  private boolean within(boolean ok) {
    if (!ok) {
      exhausted = true;
    }
    return ok;
  }

  String modelLimit(String when) {
    return "the model grows past "
        + limits.maxModelChars()
        + " characters "
        + when
        + raise("maxModelChars");
  }
}
