package io.stackwright.api.plan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One step of a {@link Plan}: create, update or delete one resource. */
public sealed interface Change permits Change.Create, Change.Update, Change.Delete {

  ResourceKind kind();

  /** The resource's key in the stack (the service key, the network key, ...). */
  String key();

  /** The resource does not exist and will be created. */
  record Create(ResourceKind kind, String key) implements Change {
    public Create {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "+ create " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + key;
    }
  }

  /**
   * The resource exists and differs in {@code fields}.
   *
   * @param version the version index read when planning: the update is applied only if the resource
   *     still has it (0 where the platform has no versions)
   * @param changedAt when the engine says the live resource last changed (on Swarm the object's
   *     {@code UpdatedAt}, on one engine the newest creation of the service's containers), or
   *     {@code null} when the engine does not tell (a drift report shows it; applying ignores it)
   */
  record Update(
      ResourceKind kind, String key, List<FieldChange> fields, long version, Instant changedAt)
      implements Change {
    public Update {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      fields = List.copyOf(fields);
    }

    /** An update of a resource whose last change the engine does not tell. */
    public Update(ResourceKind kind, String key, List<FieldChange> fields, long version) {
      this(kind, key, fields, version, null);
    }

    @Override
    public String toString() {
      return "~ update "
          + kind.name().toLowerCase(java.util.Locale.ROOT)
          + " "
          + key
          + " "
          + fields.stream().map(FieldChange::path).toList();
    }
  }

  /** The resource exists but is no longer declared, and will be deleted. */
  record Delete(ResourceKind kind, String key) implements Change {
    public Delete {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "- delete " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + key;
    }
  }
}
