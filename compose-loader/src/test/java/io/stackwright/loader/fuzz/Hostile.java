package io.stackwright.loader.fuzz;

import io.stackwright.loader.LoadLimits;

/**
 * Resource-exhaustion inputs for the fuzz run, shaped by the fuzzer: huge scalars, aliases of large
 * anchors, deep nesting (flow and block), long chains of nested substitutions, a large variable
 * referenced many times, many services and keys. The fuzz run loads them with {@link #LIMITS},
 * lowered so that each class passes a limit at a size that costs milliseconds, and checks that each
 * load stays within {@link #MAX_ALLOCATED} and {@link #MAX_MILLIS}.
 */
public final class Hostile {
  private Hostile() {}

  /** The fuzz run's limits: the defaults scaled down, so that every input is cheap. */
  public static final LoadLimits LIMITS =
      LoadLimits.builder()
          .maxFileBytes(24 * 1024)
          .maxModelChars(48 * 1024)
          .maxNodes(2_000)
          .maxNestingDepth(32)
          .maxAliases(100)
          .maxServices(50)
          .build();

  /** What one load may allocate in the fuzz run (the largest input is about 32 KB). */
  public static final long MAX_ALLOCATED = 64L << 20;

  /** What one load may take in the fuzz run, generously (a shared machine, GC pauses). */
  public static final long MAX_MILLIS = 5_000;

  /** The variable every hostile input may reference: 8 KiB. */
  public static final String BIG_VARIABLE = "BIG";

  public static final String BIG_VALUE = "b".repeat(8 * 1024);

  /**
   * A hostile file of the kind {@code kind} (any int), of a size set by {@code size} (any int,
   * reduced to at most about 32 KB: past the lowered limits, cheap to load).
   */
  public static String generate(int kind, int size, int shape) {
    int n = Math.floorMod(size, 32 * 1024) + 1;
    StringBuilder y = new StringBuilder("services:\n  web:\n    image: busybox\n");
    switch (Math.floorMod(kind, 8)) {
      case 0 -> // one huge scalar, plain or quoted
          y.append("    labels:\n      big: ")
              .append(shape % 2 == 0 ? "" : "\"")
              .append("x".repeat(n))
              .append(shape % 2 == 0 ? "" : "\"")
              .append('\n');
      case 1 -> { // a large anchor aliased many times
        int anchor = Math.max(1, n / 16);
        int aliases = Math.floorMod(shape, 512) + 1;
        y.append("x-big: &big ").append("a".repeat(anchor)).append("\nx-many: [");
        for (int i = 0; i < aliases; i++) {
          y.append(i == 0 ? "*big" : ",*big");
        }
        y.append("]\n");
      }
      case 2 -> { // flow collections nested deep
        int depth = Math.floorMod(n, 8_000) + 1;
        String open = shape % 2 == 0 ? "[" : "{a: ";
        String close = shape % 2 == 0 ? "]" : "}";
        y.append("x-deep: ").append(open.repeat(depth)).append(close.repeat(depth)).append('\n');
      }
      case 3 -> { // block mappings nested deep
        int depth = Math.floorMod(n, 200) + 1;
        y.append("x-deep:\n");
        for (int i = 1; i <= depth; i++) {
          y.append(" ".repeat(i)).append("a:\n");
        }
      }
      case 4 -> { // ${V:-${V:-...}} nested deep
        int depth = Math.floorMod(n, 5_000) + 1;
        y.append("    labels:\n      deep: \"")
            .append("${V:-".repeat(depth))
            .append('x')
            .append("}".repeat(depth))
            .append("\"\n");
      }
      case 5 -> { // a large variable referenced many times
        int references = Math.floorMod(n, 500) + 1;
        y.append("    labels:\n");
        for (int i = 0; i < references; i++) {
          y.append("      l").append(i).append(": ${").append(BIG_VARIABLE).append("}\n");
        }
      }
      case 6 -> { // many services
        int services = Math.floorMod(n, 1_000) + 1;
        for (int i = 0; i < services; i++) {
          y.append("  s").append(i).append(": {image: busybox}\n");
        }
      }
      default -> { // many keys, aliases of a billion-laughs shape
        int width = Math.floorMod(shape, 12) + 2;
        int levels = Math.floorMod(n, 12) + 1;
        y.append("x-l0: &l0 [").append("x,".repeat(width)).append("x]\n");
        for (int level = 1; level <= levels; level++) {
          y.append("x-l").append(level).append(": &l").append(level).append(" [");
          for (int j = 0; j < width; j++) {
            y.append(j == 0 ? "" : ",").append("*l").append(level - 1);
          }
          y.append("]\n");
        }
      }
    }
    return y.toString();
  }
}
