package io.stackwright.loader;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one load may read and build, so that a hostile or broken project fails as invalid
 * input (a located problem that names the limit) instead of exhausting the memory, the time or the
 * stack of the process that loads it. The {@link #defaults() defaults} fit real Compose projects
 * with a wide margin; raise a limit with {@link #builder()} and {@link
 * ComposeLoader.Builder#limits(LoadLimits)}.
 *
 * <pre>{@code
 * ComposeLoader.builder()
 *     .file(Path.of("compose.yml"))
 *     .limits(LoadLimits.builder().maxFileBytes(64L << 20).build())
 *     .build();
 * }</pre>
 *
 * @param maxFileBytes the size of any one file read: a Compose file, {@code .env} or env file,
 *     label file, secret or config file
 * @param maxModelChars the characters of the whole model: every scalar counted once per place it
 *     appears after YAML aliases are expanded, and again with what variable substitution adds
 *     (environment values and env files included)
 * @param maxNodes the YAML nodes of the whole load, aliases expanded
 * @param maxNestingDepth how deep YAML collections, and {@code ${...}} substitutions inside one
 *     another, may nest (at most 1,000: the loader's recursion must fit a thread's default stack)
 * @param maxAliases the YAML aliases ({@code *name}) of the whole load
 * @param maxIncludeDepth how deep {@code include} chains and {@code extends} chains may go
 * @param maxIncludes the files loaded through {@code include} and {@code extends.file} in one load
 *     (a file included twice counts twice)
 * @param maxServices the services of the merged project
 * @param readTimeout how long reading one file may take
 */
public record LoadLimits(
    long maxFileBytes,
    long maxModelChars,
    int maxNodes,
    int maxNestingDepth,
    int maxAliases,
    int maxIncludeDepth,
    int maxIncludes,
    int maxServices,
    Duration readTimeout) {

  /** The highest {@link #maxNestingDepth} allowed. */
  public static final int NESTING_DEPTH_CEILING = 1_000;

  private static final LoadLimits DEFAULTS =
      new LoadLimits(
          8L << 20, // 8 MiB: Swarm caps a secret at 500 KB and a config at 1000 KB
          32L << 20,
          250_000,
          64,
          1_000,
          16,
          256,
          1_000,
          Duration.ofSeconds(10));

  public LoadLimits {
    positive(maxFileBytes, "maxFileBytes");
    positive(maxModelChars, "maxModelChars");
    positive(maxNodes, "maxNodes");
    positive(maxNestingDepth, "maxNestingDepth");
    positive(maxAliases, "maxAliases");
    positive(maxIncludeDepth, "maxIncludeDepth");
    positive(maxIncludes, "maxIncludes");
    positive(maxServices, "maxServices");
    if (maxNestingDepth > NESTING_DEPTH_CEILING) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be at most " + NESTING_DEPTH_CEILING + ", was " + maxNestingDepth);
    }
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
    }
  }

  /**
   * 8 MiB per file, 32 Mi characters of model, 250,000 nodes, nesting 64 deep, 1,000 aliases,
   * include and extends chains 16 deep, 256 included files, 1,000 services, 10 s per file read.
   */
  public static LoadLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Builds {@link LoadLimits}; every setting not given keeps the value it started from. */
  public static final class Builder {
    private long maxFileBytes;
    private long maxModelChars;
    private int maxNodes;
    private int maxNestingDepth;
    private int maxAliases;
    private int maxIncludeDepth;
    private int maxIncludes;
    private int maxServices;
    private Duration readTimeout;

    private Builder(LoadLimits from) {
      maxFileBytes = from.maxFileBytes;
      maxModelChars = from.maxModelChars;
      maxNodes = from.maxNodes;
      maxNestingDepth = from.maxNestingDepth;
      maxAliases = from.maxAliases;
      maxIncludeDepth = from.maxIncludeDepth;
      maxIncludes = from.maxIncludes;
      maxServices = from.maxServices;
      readTimeout = from.readTimeout;
    }

    public Builder maxFileBytes(long bytes) {
      this.maxFileBytes = bytes;
      return this;
    }

    public Builder maxModelChars(long chars) {
      this.maxModelChars = chars;
      return this;
    }

    public Builder maxNodes(int nodes) {
      this.maxNodes = nodes;
      return this;
    }

    public Builder maxNestingDepth(int depth) {
      this.maxNestingDepth = depth;
      return this;
    }

    public Builder maxAliases(int aliases) {
      this.maxAliases = aliases;
      return this;
    }

    public Builder maxIncludeDepth(int depth) {
      this.maxIncludeDepth = depth;
      return this;
    }

    public Builder maxIncludes(int includes) {
      this.maxIncludes = includes;
      return this;
    }

    public Builder maxServices(int services) {
      this.maxServices = services;
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a limit is not positive, or the nesting depth is above
     *     {@link #NESTING_DEPTH_CEILING}
     */
    public LoadLimits build() {
      return new LoadLimits(
          maxFileBytes,
          maxModelChars,
          maxNodes,
          maxNestingDepth,
          maxAliases,
          maxIncludeDepth,
          maxIncludes,
          maxServices,
          readTimeout);
    }
  }
}
