package io.stackwright.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

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
    // The reference data is for tests only and a plain clone lacks it: skip, saying why.
    return Assumptions.abort(
        "skipped: the reference data shared/peer-data (beside the repository) was not found above "
            + Path.of("").toAbsolutePath()
            + "; put it there or set -Dstackwright.peerData=DIR to run this test");
  }

  public static Path composeFixtures() {
    return root().resolve("compose-fixtures");
  }
}
