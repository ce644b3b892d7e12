package io.stackwright.core.controller.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.EventDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A secret's or config's new content put into a stack's accepted spec: the spec to apply, and the
 * services that reference it (they roll onto the new content). Those services roll start-first
 * whatever their declared order (a rotation must not take a replica away before its successor is
 * ready), so the rotated spec declares them start-first: it is what is applied and accepted, so
 * that a later reconcile plans no difference. Pure: reads nothing, writes nothing.
 *
 * @param kind {@link EventDetail.Resource#SECRET} or {@link EventDetail.Resource#CONFIG}
 * @param key the secret's or config's key
 * @param spec the stack with the new content
 * @param dependants the services that reference the key, by name, in the stack's order
 */
public record Rotation(
    EventDetail.Resource kind, String key, StackSpec spec, List<String> dependants) {

  public Rotation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(spec, "spec");
    dependants = List.copyOf(dependants);
  }

  /** What the rotate job's payload and the CLI call it: {@code secret} or {@code config}. */
  public String what() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@code accepted} with the content of secret or config {@code key} replaced by {@code content}.
   *
   * @throws InvalidSpecException when the stack declares no such key (listing those it declares),
   *     when the key is external (its content is not the stack's to change), or when no service
   *     references it
   */
  public static Rotation of(
      StackSpec accepted, EventDetail.Resource kind, String key, FileContent content) {
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(content, "content");
    if (kind != EventDetail.Resource.SECRET && kind != EventDetail.Resource.CONFIG) {
      throw new IllegalArgumentException("only a secret or a config rotates, not a " + kind);
    }
    boolean secret = kind == EventDetail.Resource.SECRET;
    String what = secret ? "secrets" : "configs";
    List<SpecProblem> problems = new ArrayList<>();
    TreeSet<String> known =
        new TreeSet<>(secret ? accepted.secrets().keySet() : accepted.configs().keySet());
    boolean external =
        secret
            ? accepted.secrets().containsKey(key) && accepted.secrets().get(key).external()
            : accepted.configs().containsKey(key) && accepted.configs().get(key).external();
    if (key == null || !known.contains(key)) {
      problems.add(
          SpecProblem.at(
              what + "." + key,
              "stack "
                  + accepted.name()
                  + " declares no "
                  + (secret ? "secret" : "config")
                  + " '"
                  + key
                  + "'; it declares "
                  + (known.isEmpty() ? "none" : known)));
    } else if (external) {
      problems.add(
          SpecProblem.at(
              what + "." + key,
              "is external: its content is not the stack's; rotate it where it is created"));
    }
    List<String> dependants = new ArrayList<>();
    for (ServiceSpec service : accepted.services().values()) {
      List<FileReference> refs = secret ? service.secrets() : service.configs();
      if (refs.stream().anyMatch(r -> r.source().equals(key))) {
        dependants.add(service.name());
      }
    }
    if (problems.isEmpty() && dependants.isEmpty()) {
      problems.add(
          SpecProblem.at(
              what + "." + key, "no service of stack " + accepted.name() + " references it"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    StackSpec.Builder rotated = accepted.toBuilder();
    if (secret) {
      SecretSpec was = accepted.secrets().get(key);
      rotated.secret(new SecretSpec(key, was.name(), false, content, was.labels()));
    } else {
      ConfigSpec was = accepted.configs().get(key);
      rotated.config(new ConfigSpec(key, was.name(), false, content, was.labels()));
    }
    for (String name : dependants) {
      ServiceSpec service = accepted.services().get(name);
      UpdatePolicy policy =
          service.updatePolicy() != null ? service.updatePolicy() : UpdatePolicy.defaults();
      if (policy.order() != UpdatePolicy.Order.START_FIRST) {
        rotated.service(service.toBuilder().updatePolicy(startFirst(policy)).build());
      }
    }
    return new Rotation(kind, key, rotated.build(), dependants);
  }

  private static UpdatePolicy startFirst(UpdatePolicy policy) {
    return new UpdatePolicy(
        policy.parallelism(),
        policy.delay(),
        policy.failureAction(),
        policy.monitor(),
        policy.maxFailureRatio(),
        UpdatePolicy.Order.START_FIRST);
  }

  /** The rotate job's payload: the rotated spec's hash, then what and which key rotates. */
  String payload(String hash) {
    return hash + " " + what() + " " + key;
  }

  /** The hash a rotate job's payload starts with. */
  static String hashOf(String payload) {
    int space = payload.indexOf(' ');
    return space < 0 ? payload : payload.substring(0, space);
  }

  /** The kind and key of a rotate job's payload, with {@code spec} as it was rebuilt. */
  static Rotation fromPayload(String payload, StackSpec spec) {
    String[] parts = payload.split(" ", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a rotate job's payload: " + payload);
    }
    EventDetail.Resource kind = EventDetail.Resource.valueOf(parts[1].toUpperCase(Locale.ROOT));
    List<String> dependants = new ArrayList<>();
    for (ServiceSpec service : spec.services().values()) {
      List<FileReference> refs =
          kind == EventDetail.Resource.SECRET ? service.secrets() : service.configs();
      if (refs.stream().anyMatch(r -> r.source().equals(parts[2]))) {
        dependants.add(service.name());
      }
    }
    return new Rotation(kind, parts[2], spec, dependants);
  }
}
