package io.stackwright.api;

/**
 * How a stack is removed.
 *
 * @param removeVolumes also remove the stack's named volumes (their data is lost)
 */
public record RemoveOptions(boolean removeVolumes) {
  /** Keep volumes, as {@code docker stack rm} and {@code docker compose down} do. */
  public static RemoveOptions keepVolumes() {
    return new RemoveOptions(false);
  }

  public static RemoveOptions withVolumes() {
    return new RemoveOptions(true);
  }
}
