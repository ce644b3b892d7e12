package io.stackwright.core.drift;

import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.spi.Subscription;
import java.util.List;

/**
 * The drift supervision of one stack ({@code orchestrator.watchDrift(spec)}), until closed. It
 * compares the stack's desired state with what runs when the engine reports a change to the stack
 * and every {@link DriftPolicy#interval()} (plus jitter), and reacts as the policy says: {@code
 * warn} reports, {@code repair} also submits a {@code reconcile} job. See {@code docs/drift.md}.
 */
public interface DriftWatch extends Subscription {

  String stack();

  DriftPolicy policy();

  /** The differences seen at the last comparison; empty when what runs is as desired. */
  List<DriftReport> current();

  /**
   * Whether repairs stopped (with one alert) until the drift goes or a new revision is accepted.
   */
  boolean repairsStopped();

  /** Compares now, on the caller's thread, and reacts; returns what it saw. */
  List<DriftReport> compareNow();
}
