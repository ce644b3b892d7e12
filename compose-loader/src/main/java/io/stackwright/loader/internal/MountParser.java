package io.stackwright.loader.internal;

import io.stackwright.api.MountSpec;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compose {@code volumes} of a service (short syntax {@code source:target[:options]}, long syntax)
 * and {@code tmpfs}. Relative bind sources are made absolute against the working directory.
 */
final class MountParser extends NodeReader {
  private static final Set<String> LONG_KEYS =
      Set.of("type", "source", "target", "read_only", "bind", "volume", "tmpfs");
  private static final Set<String> LONG_IGNORED = Set.of("consistency", "image");
  private static final Set<String> PROPAGATIONS =
      Set.of("shared", "rshared", "slave", "rslave", "private", "rprivate");
  private static final Set<String> IGNORED_OPTIONS =
      Set.of("z", "Z", "cached", "delegated", "consistent");

  private final Path workingDir;
  private final String home;

  MountParser(Diagnostics diagnostics, Path workingDir, String home) {
    super(diagnostics);
    this.workingDir = workingDir;
    this.home = home;
  }

  MountSpec parseVolume(Node item, String path) {
    if (item instanceof MapNode map) {
      return parseLong(map, path);
    }
    if (item instanceof ScalarNode scalar && !scalar.isNull()) {
      return parseShort(scalar, path);
    }
    problem(item, path, "must be a string or a mapping, not " + item.describe());
    return null;
  }

  /** The parts of a short volume, {@code source:target[:options]}. */
  static String[] splitShort(String text) {
    return text.split(":", -1);
  }

  private MountSpec parseShort(ScalarNode scalar, String path) {
    String[] parts = splitShort(scalar.text());
    if (parts.length == 1) {
      String target = parts[0];
      if (!target.startsWith("/")) {
        problem(scalar, path, "volume " + scalar.shown() + " needs a target path in the container");
        return null;
      }
      return MountSpec.volume(null, cleanTarget(target));
    }
    if (parts.length > 3) {
      problem(scalar, path, "invalid volume " + scalar.shown() + ": too many ':'");
      return null;
    }
    String source = parts[0];
    String target = cleanTarget(parts[1]);
    if (source.isEmpty() || target.isEmpty()) {
      problem(scalar, path, "invalid volume " + scalar.shown() + ": empty source or target");
      return null;
    }
    boolean bind = isPath(source);
    boolean readOnly = false;
    boolean noCopy = false;
    String propagation = null;
    if (parts.length == 3) {
      for (String option : parts[2].split(",")) {
        if (option.equals("ro")) {
          readOnly = true;
        } else if (option.equals("rw")) {
          readOnly = false;
        } else if (option.equals("nocopy") && !bind) {
          noCopy = true;
        } else if (PROPAGATIONS.contains(option) && bind) {
          propagation = option;
        } else if (IGNORED_OPTIONS.contains(option)) {
          diagnostics.warn(
              scalar.location(),
              path,
              "ignoring volume option '" + option + "' the stack model cannot represent");
        } else {
          problem(
              scalar,
              path,
              "invalid option "
                  + (scalar.template() == null ? "'" + option + "' " : "")
                  + "for a "
                  + (bind ? "bind mount" : "volume")
                  + " in "
                  + scalar.shown());
          return null;
        }
      }
    }
    if (bind) {
      return new MountSpec(
          MountSpec.Type.BIND, absolute(source), target, readOnly, false, propagation, null);
    }
    return new MountSpec(MountSpec.Type.VOLUME, source, target, readOnly, noCopy, null, null);
  }

  private MountSpec parseLong(MapNode map, String path) {
    checkKeys(map, path, LONG_KEYS, LONG_IGNORED, true);
    String typeText = requiredString(map.get("type"), child(path, "type"), map, "type");
    String source = string(map.get("source"), child(path, "source"));
    String target = requiredString(map.get("target"), child(path, "target"), map, "target");
    target = target == null ? null : cleanTarget(target);
    Boolean readOnly = bool(map.get("read_only"), child(path, "read_only"));
    String propagation = null;
    boolean noCopy = false;
    Long tmpfsSize = null;
    MountSpec.Type type = null;
    if (typeText != null) {
      switch (typeText.toLowerCase(Locale.ROOT)) {
        case "bind" -> type = MountSpec.Type.BIND;
        case "volume" -> type = MountSpec.Type.VOLUME;
        case "tmpfs" -> type = MountSpec.Type.TMPFS;
        case "image", "cluster", "npipe" -> {
          diagnostics.warn(
              map.get("type").location(),
              child(path, "type"),
              "a mount of type "
                  + typeText
                  + " cannot be represented in the stack; it stays in the model only");
          return null;
        }
        default ->
            problem(
                map.get("type"),
                child(path, "type"),
                "volume type "
                    + quoted(map.get("type"))
                    + " is not supported (use volume, bind or tmpfs)");
      }
    }
    for (String option : List.of("bind", "volume", "tmpfs")) {
      if (map.has(option) && type != null && !option.equals(typeText.toLowerCase(Locale.ROOT))) {
        diagnostics.problem(
            map.entry(option).keyLocation(),
            child(path, option),
            option + " options are incompatible with type " + typeText);
      }
    }
    MapNode bind = mapping(map.get("bind"), child(path, "bind"));
    if (bind != null && type == MountSpec.Type.BIND) {
      String at = child(path, "bind");
      checkKeys(
          bind,
          at,
          Set.of("propagation"),
          Set.of("create_host_path", "selinux", "recursive"),
          true);
      propagation = string(bind.get("propagation"), child(at, "propagation"));
      if (propagation != null && !PROPAGATIONS.contains(propagation)) {
        problem(
            bind.get("propagation"),
            child(at, "propagation"),
            "propagation must be one of "
                + new TreeSet<>(PROPAGATIONS)
                + ", not "
                + quoted(bind.get("propagation")));
        propagation = null;
      }
    }
    MapNode volume = mapping(map.get("volume"), child(path, "volume"));
    if (volume != null && type == MountSpec.Type.VOLUME) {
      String at = child(path, "volume");
      checkKeys(volume, at, Set.of("nocopy"), Set.of("subpath", "labels"), true);
      noCopy = Boolean.TRUE.equals(bool(volume.get("nocopy"), child(at, "nocopy")));
    }
    MapNode tmpfs = mapping(map.get("tmpfs"), child(path, "tmpfs"));
    if (tmpfs != null && type == MountSpec.Type.TMPFS) {
      String at = child(path, "tmpfs");
      checkKeys(tmpfs, at, Set.of("size"), Set.of("mode"), true);
      tmpfsSize = byteSize(tmpfs.get("size"), child(at, "size"));
    }
    if (type == null || target == null) {
      return null;
    }
    if (type == MountSpec.Type.BIND && (source == null || source.isBlank())) {
      problem(map, child(path, "source"), "a bind mount needs a source path");
      return null;
    }
    if (type == MountSpec.Type.TMPFS && source != null) {
      problem(map.get("source"), child(path, "source"), "a tmpfs mount cannot have a source");
      return null;
    }
    if (type == MountSpec.Type.BIND) {
      source = absolute(source);
    }
    return new MountSpec(
        type, source, target, Boolean.TRUE.equals(readOnly), noCopy, propagation, tmpfsSize);
  }

  /** Service-level {@code tmpfs}: a path or a list of {@code path[:size=...,mode=...]}. */
  List<MountSpec> parseTmpfs(Node node, String path) {
    List<MountSpec> mounts = new ArrayList<>();
    List<String> entries = stringOrList(node, path);
    if (entries == null) {
      return mounts;
    }
    for (int i = 0; i < entries.size(); i++) {
      String at = node instanceof ScalarNode ? path : index(path, i);
      Node item = node instanceof Node.ListNode list ? list.items().get(i) : node;
      String entry = entries.get(i);
      int colon = entry.indexOf(':');
      String target = colon < 0 ? entry : entry.substring(0, colon);
      Long size = null;
      if (!target.startsWith("/")) {
        problem(item, at, "tmpfs target " + quoted(item) + " must be an absolute path");
        continue;
      }
      if (colon >= 0) {
        for (String option : entry.substring(colon + 1).split(",")) {
          if (option.startsWith("size=")) {
            try {
              size = Units.bytes(option.substring(5));
            } catch (IllegalArgumentException e) {
              problem(
                  item, at, "invalid tmpfs size in " + quoted(item) + " (" + e.getMessage() + ")");
            }
          } else {
            diagnostics.warn(
                item.location(),
                at,
                "ignoring tmpfs option "
                    + (item instanceof ScalarNode s && s.template() != null
                        ? "in " + quoted(item)
                        : "'" + option + "'")
                    + " the stack model cannot represent");
          }
        }
      }
      mounts.add(new MountSpec(MountSpec.Type.TMPFS, null, target, false, false, null, size));
    }
    return mounts;
  }

  /** A target without a trailing '/', as compose-go cleans it ({@code /data/} is {@code /data}). */
  static String cleanTarget(String target) {
    String out = target;
    while (out.length() > 1 && out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }

  private static boolean isPath(String source) {
    return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
  }

  private String absolute(String source) {
    if (source.equals("~") || source.startsWith("~/")) {
      return Path.of(home + source.substring(1)).normalize().toString();
    }
    return workingDir.resolve(source).normalize().toString();
  }
}
