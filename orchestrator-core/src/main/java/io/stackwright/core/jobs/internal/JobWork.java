package io.stackwright.core.jobs.internal;

/**
 * What a job does. Runs on the engine's executor, one attempt at a time; a retryable exception it
 * throws ({@link Retries#isRetryable}) makes the engine run it again later, any other ends the job
 * as failed. It must be safe to run again from the start: deploys re-plan, so they are.
 */
@FunctionalInterface
public interface JobWork {
  JobOutcome run(JobContext context) throws Exception;
}
