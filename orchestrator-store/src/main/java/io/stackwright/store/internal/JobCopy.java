package io.stackwright.store.internal;

import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobState;
import java.time.Instant;
import java.util.List;

/** A mutable copy of a {@link Job} that builds the changed record (the in-memory store's rows). */
final class JobCopy {
  private final Job job;
  private JobState state;
  private int attempts;
  private Instant notBefore;
  private JobProgress progress;
  private String planSummary;
  private List<String> createdResources;
  private String result;
  private String error;
  private boolean cancelRequested;
  private Instant updatedAt;
  private Instant startedAt;
  private Instant finishedAt;
  private String claimedBy;
  private Instant leaseExpiresAt;
  private long fencingToken;

  JobCopy(Job job) {
    this.job = job;
    this.state = job.state();
    this.attempts = job.attempts();
    this.notBefore = job.notBefore();
    this.progress = job.progress();
    this.planSummary = job.planSummary();
    this.createdResources = job.createdResources();
    this.result = job.result();
    this.error = job.error();
    this.cancelRequested = job.cancelRequested();
    this.updatedAt = job.updatedAt();
    this.startedAt = job.startedAt();
    this.finishedAt = job.finishedAt();
    this.claimedBy = job.claimedBy();
    this.leaseExpiresAt = job.leaseExpiresAt();
    this.fencingToken = job.fencingToken();
  }

  JobCopy state(JobState value) {
    state = value;
    return this;
  }

  JobCopy attempts(int value) {
    attempts = value;
    return this;
  }

  JobCopy notBefore(Instant value) {
    notBefore = value;
    return this;
  }

  JobCopy progress(JobProgress value) {
    progress = value;
    return this;
  }

  JobCopy planSummary(String value) {
    planSummary = value;
    return this;
  }

  JobCopy createdResources(List<String> value) {
    createdResources = value;
    return this;
  }

  JobCopy result(String value) {
    result = value;
    return this;
  }

  JobCopy error(String value) {
    error = value;
    return this;
  }

  JobCopy cancelRequested(boolean value) {
    cancelRequested = value;
    return this;
  }

  JobCopy updatedAt(Instant value) {
    updatedAt = value;
    return this;
  }

  JobCopy startedAt(Instant value) {
    startedAt = value;
    return this;
  }

  JobCopy finishedAt(Instant value) {
    finishedAt = value;
    return this;
  }

  JobCopy claimedBy(String value) {
    claimedBy = value;
    return this;
  }

  JobCopy leaseExpiresAt(Instant value) {
    leaseExpiresAt = value;
    return this;
  }

  JobCopy fencingToken(long value) {
    fencingToken = value;
    return this;
  }

  Job build() {
    return new Job(
        job.id(),
        job.stack(),
        job.kind(),
        state,
        job.revision(),
        job.payload(),
        job.idempotencyKey(),
        job.tenant(),
        job.principal(),
        job.submittedBy(),
        attempts,
        notBefore,
        progress,
        planSummary,
        createdResources,
        result,
        error,
        cancelRequested,
        job.createdAt(),
        updatedAt,
        startedAt,
        finishedAt,
        claimedBy,
        leaseExpiresAt,
        fencingToken);
  }
}
