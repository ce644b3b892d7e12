package io.stackwright.api.spi;

/** A running watch; closing it stops the events. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
