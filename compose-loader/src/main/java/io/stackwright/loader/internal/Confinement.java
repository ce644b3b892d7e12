package io.stackwright.loader.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the paths a project names may lead, when the load is confined: inside the project directory
 * or one of the allowed directories, symlinks followed (a link inside the project that points out
 * of it does not count as inside). A path that does not exist yet (a bind mount the engine creates)
 * is judged by its deepest existing parent, made real, and the rest of it.
 */
public final class Confinement {
  private static final Confinement NONE = new Confinement(false, List.of());

  private final boolean enabled;
  private final List<Path> roots;

  private Confinement(boolean enabled, List<Path> roots) {
    this.enabled = enabled;
    this.roots = roots;
  }

  /** Every path allowed. */
  public static Confinement none() {
    return NONE;
  }

  /** Paths confined to {@code projectDir} and {@code allowed}. */
  public static Confinement to(Path projectDir, List<Path> allowed) {
    List<Path> roots = new ArrayList<>();
    roots.add(real(projectDir));
    allowed.forEach(p -> roots.add(real(p)));
    return new Confinement(true, List.copyOf(roots));
  }

  public boolean enabled() {
    return enabled;
  }

  /** The project directory and the allowed directories, made real. */
  public List<Path> roots() {
    return roots;
  }

  /** Whether the path, made real, lies in an allowed directory (always true when not confined). */
  public boolean allows(Path path) {
    if (!enabled) {
      return true;
    }
    Path real = real(path);
    for (Path root : roots) {
      if (real.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why {@code path} is refused: "secret file /etc/shadow is outside the project directory ...".
   */
  String refusal(String what, Path path) {
    Path real = real(path);
    String resolved = real.equals(path.toAbsolutePath().normalize()) ? "" : " (" + real + ")";
    return what
        + " "
        + path
        + resolved
        + " is outside the project directory "
        + roots.get(0)
        + (roots.size() > 1 ? " and the allowed directories " + roots.subList(1, roots.size()) : "")
        + " (the load is confined; allow a directory with ComposeLoader.Builder.confined)";
  }

  /**
   * The path with every symlink of its existing part resolved: the real path of its deepest
   * existing ancestor, with the rest appended (normalized, so {@code ..} cannot climb back out).
   */
  static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute;
    }
  }
}
