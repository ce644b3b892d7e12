package io.stackwright.api;

import java.util.Objects;

/**
 * A filesystem mount of a service.
 *
 * @param type bind, volume or tmpfs
 * @param source a host path (bind), a volume key of the stack (volume, {@code null} for an
 *     anonymous one), or {@code null} (tmpfs)
 * @param target the path inside the container
 * @param readOnly whether the mount is read-only
 * @param noCopy for volumes: do not copy the image's content into a new volume
 * @param bindPropagation for binds: the propagation mode, or {@code null}
 * @param tmpfsSizeBytes for tmpfs: the size limit, or {@code null}
 */
public record MountSpec(
    Type type,
    String source,
    String target,
    boolean readOnly,
    boolean noCopy,
    String bindPropagation,
    Long tmpfsSizeBytes) {

  public enum Type {
    BIND,
    VOLUME,
    TMPFS
  }

  public MountSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    if (type == Type.BIND && (source == null || source.isBlank())) {
      throw new IllegalArgumentException(
          "a bind mount needs a source path (target " + target + ")");
    }
    if (type == Type.TMPFS && source != null) {
      throw new IllegalArgumentException("a tmpfs mount has no source (target " + target + ")");
    }
  }

  public static MountSpec volume(String volume, String target) {
    return new MountSpec(Type.VOLUME, volume, target, false, false, null, null);
  }

  public static MountSpec bind(String hostPath, String target, boolean readOnly) {
    return new MountSpec(Type.BIND, hostPath, target, readOnly, false, null, null);
  }

  public static MountSpec tmpfs(String target) {
    return new MountSpec(Type.TMPFS, null, target, false, false, null, null);
  }
}
