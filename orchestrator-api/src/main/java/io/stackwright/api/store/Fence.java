package io.stackwright.api.store;

/**
 * Proof that its holder owns something (a job, a named lease) as long as {@link #fencingToken()} is
 * still the current token. Every claim or acquisition takes a new, strictly greater token from one
 * sequence per store, so a holder whose lease lapsed and was taken over holds a smaller token and
 * the store refuses its writes (with {@link LeaseLostException}).
 */
public sealed interface Fence permits JobClaim, LeaseGrant {

  /** Who holds it (a process name, unique per host process). */
  String holder();

  /** The token the store compares with the current one before a fenced write. */
  long fencingToken();
}
