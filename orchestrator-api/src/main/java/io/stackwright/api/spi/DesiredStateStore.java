package io.stackwright.api.spi;

import io.stackwright.api.store.DesiredState;
import java.util.List;
import java.util.Optional;

/**
 * The accepted desired states of stacks. Normally written through {@link
 * JobStore#submit(io.stackwright.api.store.NewJob)} (the job that applies a spec is queued in the
 * same transaction that accepts it); {@link #accept} is for callers that change no stack.
 */
public interface DesiredStateStore {

  /** The newest accepted desired state of {@code stack}. */
  Optional<DesiredState> current(String stack);

  /** One revision of {@code stack}. */
  Optional<DesiredState> revision(String stack, long revision);

  /** The newest {@code limit} revisions of {@code stack}, newest first. */
  List<DesiredState> history(String stack, int limit);

  /** The stacks that have a desired state, sorted. */
  List<String> stacks();

  /**
   * Accepts {@code spec} as the next revision of {@code stack} (1 for a new stack).
   *
   * @param tenant the tenant, or {@code null}
   * @param principal who accepted it, or {@code null}
   */
  DesiredState accept(String stack, String spec, String tenant, String principal);

  /**
   * Forgets all but the newest {@code keep} revisions of {@code stack} ({@code keep >= 1}).
   *
   * @return how many revisions were forgotten
   */
  int prune(String stack, int keep);
}
