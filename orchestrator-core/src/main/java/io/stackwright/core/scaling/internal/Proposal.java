package io.stackwright.core.scaling.internal;

/**
 * The replica count one metric asks for.
 *
 * @param metric the metric's description
 * @param replicas the proposed replica count, or -1 when the metric could not be evaluated
 * @param value the average per replica that was measured ({@code NaN} when unknown)
 * @param reason why, in a few words
 */
public record Proposal(String metric, int replicas, double value, String reason) {
  public static Proposal failed(String metric, String reason) {
    return new Proposal(metric, -1, Double.NaN, reason);
  }

  public boolean isValid() {
    return replicas >= 0;
  }
}
