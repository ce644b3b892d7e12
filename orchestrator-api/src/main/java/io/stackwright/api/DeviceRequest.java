package io.stackwright.api;

import java.util.List;
import java.util.Map;

/**
 * A request for host devices such as GPUs (Compose {@code deploy.resources.reservations.devices}).
 *
 * @param capabilities the capabilities a device must have, e.g. {@code [gpu]}
 * @param driver the device driver, e.g. {@code nvidia}, or {@code null}
 * @param count how many devices; {@code null} for all of them, or, when {@code deviceIds} is set,
 *     exactly those
 * @param deviceIds specific device ids (exclusive with {@code count} in Compose)
 * @param options driver-specific options
 */
public record DeviceRequest(
    List<String> capabilities,
    String driver,
    Integer count,
    List<String> deviceIds,
    Map<String, String> options) {

  public DeviceRequest {
    capabilities = Copies.list(capabilities);
    deviceIds = Copies.list(deviceIds);
    options = Copies.sortedMap(options);
    if (count != null && count < 0) {
      throw new IllegalArgumentException("device count cannot be negative");
    }
  }
}
