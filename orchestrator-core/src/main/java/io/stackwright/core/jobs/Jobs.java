package io.stackwright.core.jobs;

import io.stackwright.api.store.Job;
import java.util.List;
import java.util.Optional;

/** The jobs of an orchestrator's store. */
public interface Jobs {

  /** The job with this id, if the store still holds it. */
  Optional<JobHandle> get(long id);

  /** The newest {@code limit} jobs of {@code stack}, newest first. */
  List<Job> list(String stack, int limit);

  /** The newest {@code limit} jobs of every stack, newest first. */
  List<Job> list(int limit);
}
