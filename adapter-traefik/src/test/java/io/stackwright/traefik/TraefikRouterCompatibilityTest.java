package io.stackwright.traefik;

import io.stackwright.api.spi.Router;
import io.stackwright.tck.RouterCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * Traefik's router, held to the Router contract of the compatibility kit with each provider that
 * can split any route (file and HTTP; label providers split only routes declared with weights).
 */
class TraefikRouterCompatibilityTest {

  @Nested
  class FileProvider extends RouterCompatibilityKit {
    private Path directory;

    @Override
    protected Router createRouter() {
      try {
        directory = Files.createTempDirectory("traefik-rck");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return TraefikRouter.file(directory);
    }

    @AfterEach
    void deleteDirectory() throws IOException {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Nested
  class HttpProvider extends RouterCompatibilityKit {
    @Override
    protected Router createRouter() {
      return TraefikRouter.http();
    }
  }
}
