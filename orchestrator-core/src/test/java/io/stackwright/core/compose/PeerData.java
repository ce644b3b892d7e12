package io.stackwright.core.compose;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/peer-data}, which lies beside the repository (on developer machines and in CI
 * alike); {@code -Dstackwright.peerData=DIR} points elsewhere.
 */
public final class PeerData {
  private PeerData() {}

  public static Path root() {
    String configured = System.getProperty("stackwright.peerData");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("peer-data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "shared/peer-data not found above "
            + Path.of("").toAbsolutePath()
            + "; set -Dstackwright.peerData=DIR");
  }

  public static Path composeFixtures() {
    return root().resolve("compose-fixtures");
  }
}
