package io.stackwright.core;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.FileContent;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.core.jobs.JobHandle;
import java.util.List;
import java.util.Optional;

/**
 * One stack of an {@link Orchestrator} ({@code orchestrator.stack("shop")}). Every operation that
 * writes is a job: it runs after the stack's earlier jobs, one at a time, retried when the failure
 * is retryable, and its progress is kept in the store.
 *
 * <pre>{@code
 * Deployment d = orchestrator.stack("shop").deploy(spec);
 * DeploymentResult r = d.await(Duration.ofMinutes(5));
 * }</pre>
 */
public interface StackHandle {

  String name();

  /** Deploys with {@link DeployOptions#defaults()}. */
  default Deployment deploy(StackSpec spec) {
    return deploy(spec, DeployOptions.defaults());
  }

  default Deployment deploy(StackSpec spec, DeployOptions options) {
    return deploy(spec, options, null);
  }

  /**
   * Submits a deploy of {@code spec} (validated and planned before this returns, so bad input fails
   * here); a queued older deploy of the stack is superseded. A second submission with the same
   * {@code idempotencyKey} returns the first one's job and runs nothing.
   *
   * @throws io.stackwright.api.InvalidSpecException when the platform cannot run the stack
   * @throws IllegalArgumentException when {@code spec} is of another stack
   */
  Deployment deploy(StackSpec spec, DeployOptions options, String idempotencyKey);

  /** Submits setting the replicas of one service. */
  JobHandle scale(String service, int replicas);

  /**
   * Rotates secret {@code key} to {@code content} without downtime: the stack's accepted spec with
   * the new content becomes its next desired-state revision (so a reconcile or drift repair keeps
   * it), and a rotate job rolls every service that references the secret onto it start-first, one
   * replica after another as its update policy says (on Swarm a new, hash-suffixed secret and a
   * service update; on a single engine the file rewritten and the containers recreated one at a
   * time), waits until they run healthy, and prunes the versions nothing references any more (on
   * Swarm the one the services' previous spec uses stays, for Swarm's rollback).
   *
   * <p>The store keeps where {@code content} was read from ({@link FileContent#origin()}), never
   * the content: a job another process resumes, or a later process that rebuilds the stack's spec,
   * reads it there again and checks it against a keyed hash. Content without an origin rotates
   * here, but no other process can rebuild the revision.
   *
   * @throws io.stackwright.api.InvalidSpecException when the stack declares no such secret (the
   *     message lists those it declares), when it is external, or when no service uses it; nothing
   *     is written then
   * @throws io.stackwright.api.NotFoundException when the stack has no accepted desired state
   */
  Deployment rotateSecret(String key, FileContent content, DeployOptions options);

  /** {@link #rotateSecret(String, FileContent, DeployOptions)} with the default options. */
  default Deployment rotateSecret(String key, FileContent content) {
    return rotateSecret(key, content, DeployOptions.defaults());
  }

  /** Rotates config {@code key}, as {@link #rotateSecret} does a secret. */
  Deployment rotateConfig(String key, FileContent content, DeployOptions options);

  /** {@link #rotateConfig(String, FileContent, DeployOptions)} with the default options. */
  default Deployment rotateConfig(String key, FileContent content) {
    return rotateConfig(key, content, DeployOptions.defaults());
  }

  /** Submits returning the stack to its last fully healthy revision. */
  Deployment rollback(DeployOptions options);

  /**
   * Tells the running rollout to make its new version live now, through the store (so the process
   * running it gets it wherever it runs).
   *
   * @return the promote job that records the decision, finished once delivered (the rollout's own
   *     job says what came of it)
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  Job promote();

  /**
   * Tells the running rollout to stop and return to the last healthy revision.
   *
   * @return the abort job that records the decision, finished once delivered
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  Job abort();

  /** Submits removing everything the stack owns, keeping volumes. */
  default JobHandle remove() {
    return remove(RemoveOptions.keepVolumes());
  }

  /**
   * Submits removing everything the stack owns: its resources, its leases, its state and its
   * desired state. Cancels the stack's queued jobs and stops its running one.
   */
  JobHandle remove(RemoveOptions options);

  /** What runs for the stack now. */
  StackState status();

  /** The desired state the stack's jobs accepted last, if any. */
  Optional<DesiredState> desired();

  /** The stack's jobs the store holds, newest first. */
  List<Job> jobs();

  /**
   * Sends {@code listener} every event of this stack the orchestrator's listeners get (its
   * deployments, jobs, supervision), from now on, until the subscription is closed.
   */
  Subscription subscribe(EventListener listener);

  /**
   * The stack's audit history appended at or after {@code from} and before {@code to}, oldest
   * first: every job that finished (what it changed, how it ended, who asked) and every drift seen,
   * repaired or whose repairs stopped. It outlives the stack's removal (until its retention).
   */
  List<io.stackwright.api.store.AuditEntry> history(java.time.Instant from, java.time.Instant to);
}
