package io.stackwright.api.spi;

import java.time.Duration;
import java.util.Map;

/**
 * Where Stackwright's own metrics go (probe results, replacements, scaling decisions, rollout
 * steps). A host application bridges it to its metrics library; {@link #NONE} drops everything.
 * Names are dotted lower case ({@code stackwright.probe.failures}); tags never carry secret values.
 */
public interface MetricsRecorder {

  MetricsRecorder NONE =
      new MetricsRecorder() {
        @Override
        public void count(String name, Map<String, String> tags, double amount) {}

        @Override
        public void gauge(String name, Map<String, String> tags, double value) {}

        @Override
        public void timing(String name, Map<String, String> tags, Duration duration) {}
      };

  /** Adds {@code amount} to a counter. */
  void count(String name, Map<String, String> tags, double amount);

  /** Sets a gauge. */
  void gauge(String name, Map<String, String> tags, double value);

  /** Records one duration in a timer. */
  void timing(String name, Map<String, String> tags, Duration duration);
}
