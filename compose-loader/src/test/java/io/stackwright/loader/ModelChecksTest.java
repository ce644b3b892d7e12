package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's own checks (image references, healthcheck limits, ports) fire for values the loader
 * produced, and are reported with the loader's problems, at the file, line and key of the value.
 */
class ModelChecksTest {
  @TempDir Path dir;

  @Test
  void theModelsProblemsComeWithTheLoadersAndTheirLocations() {
    assertThat(
            TestProject.in(dir)
                .file(
                    "compose.yml",
                    """
                    services:
                      web:
                        image: "stackwright/workload: test"
                        healthcheck:
                          test: ["CMD", "true"]
                          interval: 0s
                          retries: 0
                      api:
                        image: Api
                        imgae: x
                    """)
                .describedProblems())
        .containsExactlyInAnyOrder(
            "compose.yml:3:5: services.web.image: image 'stackwright/workload: test' is not a"
                + " valid reference: it contains white space; expected [registry[:port]/]name[:tag]"
                + "[@algorithm:hex], name in lower case, a tag of up to 128 letters, digits, '_',"
                + " '.' or '-' not starting with '.' or '-'",
            "compose.yml:6:7: services.web.healthcheck.interval: 0 would silently become the"
                + " engine's default of 30s; allowed: at least 1ms (leave it unset for the"
                + " engine's default, 30s)",
            "compose.yml:7:7: services.web.healthcheck.retries: 0 would silently become the"
                + " engine's default of 3; allowed: at least 1 (leave it unset for the engine's"
                + " default, 3)",
            "compose.yml:9:5: services.api.image: image 'Api' is not a valid reference: the"
                + " repository name must be lower case",
            "compose.yml:10:5: services.api.imgae: additional properties 'imgae' not allowed (did"
                + " you mean 'image'?)");
  }
}
