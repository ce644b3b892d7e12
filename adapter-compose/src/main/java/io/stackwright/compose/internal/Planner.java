package io.stackwright.compose.internal;

import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.compose.internal.Observed.Network;
import io.stackwright.docker.internal.ContentDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares a stack with one observation of its project and lists the changes. Pure.
 *
 * <p>Order of the plan: networks and volumes to create, then the services leaves first (creates and
 * updates), then services no longer declared (orphan containers), then networks no longer used.
 * Secrets and configs are no engine objects here: they are files, part of each service's config
 * hash; a service whose files are missing or outdated gets a {@code files} field.
 *
 * <p>Fields of a service update:
 *
 * <ul>
 *   <li>{@code config-hash}: the hash of outdated containers, and the hash wanted;
 *   <li>{@code image}: the image ID outdated containers run, and the one the reference resolves to;
 *   <li>{@code containers}: each container acted on, with its state, and what is done to it
 *       (recreate, or start for one that exited, died or was never started);
 *   <li>{@code replicas}: the number of containers found, and the number wanted;
 *   <li>{@code files}: secret or config files to (re)write;
 *   <li>{@code restart}: a dependency declared with {@code restart: true} is recreated.
 * </ul>
 *
 * Volumes that are no longer used are never deleted by a plan (compose never deletes volumes on
 * {@code up}): only {@code remove} with volumes does.
 */
public final class Planner {
  private Planner() {}

  /** The network keys the services use, in order of first use ({@code default} only if used). */
  public static List<String> usedNetworks(StackSpec stack) {
    Set<String> keys = new LinkedHashSet<>();
    for (ServiceSpec s : stack.services().values()) {
      for (ServiceNetwork n : StackSpec.effectiveNetworks(s)) {
        keys.add(n.network());
      }
    }
    return List.copyOf(keys);
  }

  /** The volume keys the services mount, in order of first use. */
  public static List<String> usedVolumes(StackSpec stack) {
    Set<String> keys = new LinkedHashSet<>();
    for (ServiceSpec s : stack.services().values()) {
      for (MountSpec m : s.mounts()) {
        if (m.type() == MountSpec.Type.VOLUME && m.source() != null) {
          keys.add(m.source());
        }
      }
    }
    return List.copyOf(keys);
  }

  public static boolean isExternal(StackSpec stack, String networkKey) {
    NetworkSpec spec = stack.networks().get(networkKey);
    return spec != null && spec.external();
  }

  public static boolean isExternalVolume(StackSpec stack, String volumeKey) {
    VolumeSpec spec = stack.volumes().get(volumeKey);
    return spec != null && spec.external();
  }

  /** The config hash of every service. */
  public static Map<String, String> hashes(StackSpec stack, ContentDigest digest) {
    Map<String, String> hashes = new LinkedHashMap<>();
    stack.services().forEach((k, s) -> hashes.put(k, ConfigHash.of(stack, s, digest)));
    return hashes;
  }

  public static Plan plan(StackSpec stack, Observed.Project observed, ContentDigest digest) {
    List<Change> changes = new ArrayList<>();
    for (String key : usedNetworks(stack)) {
      if (!isExternal(stack, key)
          && !observed.networks().containsKey(ComposeNames.network(stack, key))) {
        changes.add(new Change.Create(ResourceKind.NETWORK, key));
      }
    }
    for (String key : usedVolumes(stack)) {
      if (!isExternalVolume(stack, key)
          && !observed.volumes().containsKey(ComposeNames.volume(stack, key))) {
        changes.add(new Change.Create(ResourceKind.VOLUME, key));
      }
    }
    Map<String, String> hashes = hashes(stack, digest);
    Map<String, ServiceActions> actions = new LinkedHashMap<>();
    List<String> order = DependencyOrder.order(stack);
    for (String key : order) {
      ServiceSpec service = stack.services().get(key);
      String imageId = observed.imageId(service.image()).orElse(null);
      actions.put(
          key,
          ServiceActions.compute(
              service,
              hashes.get(key),
              imageId,
              observed.containersOf(key),
              DependencyOrder.isOneShot(stack, service)));
    }
    for (String key : order) {
      ServiceSpec service = stack.services().get(key);
      ServiceActions a = actions.get(key);
      List<Container> existing = observed.containersOf(key);
      if (existing.isEmpty()) {
        if (a.desired() > 0) {
          changes.add(new Change.Create(ResourceKind.SERVICE, key));
        }
        continue;
      }
      List<FieldChange> fields =
          fields(
              hashes.get(key),
              observed.imageId(service.image()).orElse(null),
              a,
              observed.staleFiles().contains(key));
      if (a.isEmpty()) {
        String restartedBy = restartedBy(stack, service, actions);
        if (restartedBy != null && existing.stream().anyMatch(Container::running)) {
          fields.add(new FieldChange("restart", null, "after " + restartedBy + " is recreated"));
        }
      }
      if (!fields.isEmpty()) {
        changes.add(
            new Change.Update(ResourceKind.SERVICE, key, fields, 0, lastChanged(existing, a)));
      }
    }
    Set<String> orphans = new TreeSet<>();
    for (Container c : observed.containers()) {
      if (c.service() != null && !stack.services().containsKey(c.service())) {
        orphans.add(c.service());
      }
    }
    orphans.forEach(o -> changes.add(new Change.Delete(ResourceKind.SERVICE, o)));
    Set<String> used = new LinkedHashSet<>(usedNetworks(stack));
    Set<String> usedNames =
        used.stream().map(k -> ComposeNames.network(stack, k)).collect(Collectors.toSet());
    for (Network n : observed.projectNetworks()) {
      String key = n.labels().get(ComposeNames.NETWORK);
      if (key == null) {
        continue; // not one compose created for a key: leave it
      }
      if (!used.contains(key) && !usedNames.contains(n.name())) {
        changes.add(new Change.Delete(ResourceKind.NETWORK, key));
      }
    }
    return new Plan(stack.name(), changes);
  }

  /**
   * When the engine says the service's containers last changed: the newest {@code Created} among
   * them (whole seconds, as the container list gives it: no inspect per container). Not {@code
   * State.StartedAt}: a restart by the restart policy changes nothing a person did, and it would
   * cost an inspect per container. {@code null} when the difference is a container gone or stopped
   * (one to create, start or replace because it is dead): the list tells when containers were
   * created, not when one went away or ended, and the creation of those left would date the change
   * before it happened.
   */
  static java.time.Instant lastChanged(List<Container> existing, ServiceActions a) {
    if (existing.isEmpty()
        || !a.create().isEmpty()
        || !a.start().isEmpty()
        || a.recreate().stream().anyMatch(Container::dead)) {
      return null;
    }
    long newest = existing.stream().mapToLong(Container::created).max().getAsLong();
    return newest > 0 ? java.time.Instant.ofEpochSecond(newest) : null;
  }

  /** The dependency (declared with {@code restart: true}) that this plan recreates, if any. */
  private static String restartedBy(
      StackSpec stack, ServiceSpec service, Map<String, ServiceActions> actions) {
    return service.dependsOn().entrySet().stream()
        .filter(e -> e.getValue().restart())
        .map(Map.Entry::getKey)
        .filter(
            dep -> {
              ServiceActions a = actions.get(dep);
              return a != null && (!a.recreate().isEmpty());
            })
        .findFirst()
        .orElse(null);
  }

  static List<FieldChange> fields(
      String hash, String imageId, ServiceActions a, boolean staleFiles) {
    List<FieldChange> fields = new ArrayList<>();
    List<Container> outdatedHash =
        a.recreate().stream().filter(c -> !Objects.equals(hash, c.hash())).toList();
    if (!outdatedHash.isEmpty()) {
      fields.add(
          new FieldChange(
              "config-hash",
              outdatedHash.stream()
                  .map(c -> c.hash() == null ? "none" : c.hash())
                  .distinct()
                  .collect(Collectors.joining(",")),
              hash));
    }
    List<Container> outdatedImage =
        a.recreate().stream()
            .filter(
                c ->
                    Objects.equals(hash, c.hash())
                        && imageId != null
                        && c.imageId() != null
                        && !imageId.equals(c.imageId()))
            .toList();
    if (!outdatedImage.isEmpty()) {
      fields.add(
          new FieldChange(
              "image",
              outdatedImage.stream()
                  .map(Container::imageId)
                  .distinct()
                  .collect(Collectors.joining(",")),
              imageId));
    }
    if (!a.leftovers().isEmpty() || !a.finish().isEmpty()) {
      List<String> before = new ArrayList<>();
      List<String> after = new ArrayList<>();
      for (Container c : a.leftovers()) {
        before.add(c.name() + " left by an interrupted replacement");
        after.add(c.name() + " removed");
      }
      for (Container c : a.finish()) {
        before.add(c.name() + " left by an interrupted replacement");
        after.add("renamed " + ComposeNames.finalName(c.name()).orElseThrow());
      }
      fields.add(
          new FieldChange("interrupted", String.join("; ", before), String.join("; ", after)));
    }
    if (!a.recreate().isEmpty() || !a.start().isEmpty()) {
      List<String> before = new ArrayList<>();
      List<String> after = new ArrayList<>();
      for (Container c : a.recreate()) {
        before.add(c.name() + " " + c.describeState() + (c.dead() ? "" : ", outdated"));
        after.add(c.name() + " recreated");
      }
      for (Container c : a.start()) {
        before.add(c.name() + " " + c.describeState());
        after.add(c.name() + " running");
      }
      fields.add(
          new FieldChange("containers", String.join("; ", before), String.join("; ", after)));
    }
    if (a.existing() != a.desired()) {
      fields.add(
          new FieldChange(
              "replicas", Integer.toString(a.existing()), Integer.toString(a.desired())));
    }
    if (staleFiles) {
      fields.add(new FieldChange("files", "missing or outdated", "written"));
    }
    return fields;
  }
}
