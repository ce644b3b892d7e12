package io.stackwright.core.compose.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stackwright.core.compose.PeerData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the loader with Jazzer: the fuzzer chooses a valid seed file and the
 * edits to apply to it ({@link Mutations#mutate}), steered by the branches each input reaches.
 * Every input must give a stack or an {@code InvalidSpecException} with located problems; any other
 * exception is a finding, which Jazzer reports with the input that caused it.
 *
 * <p>With {@code JAZZER_FUZZ=1} (set by the build for the test run) it fuzzes for {@code
 * maxExecutions} inputs; without it, it replays its saved inputs only.
 */
class LoaderCoverageFuzzTest {
  private static Path workspace;
  private static List<String> seeds;
  private static Map<String, String> environment;

  @BeforeAll
  static void prepare() throws IOException {
    workspace = Mutations.workspace();
    seeds = Mutations.seeds(PeerData.composeFixtures());
    environment = Mutations.environment();
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Mutations.delete(workspace);
  }

  @FuzzTest(maxExecutions = 100_000)
  void everyInputGivesAModelOrATypedValidationError(FuzzedDataProvider data) {
    String seed = seeds.get(data.consumeInt(0, seeds.size() - 1));
    int edits = data.consumeInt(1, 4);
    int[] triples = new int[edits * 3];
    for (int i = 0; i < triples.length; i++) {
      triples[i] = data.consumeInt();
    }
    String yaml = Mutations.mutate(seed, triples);
    if (data.remainingBytes() > 0) {
      int at = Math.floorMod(data.consumeInt(), yaml.length() + 1);
      yaml = yaml.substring(0, at) + data.consumeRemainingAsString() + yaml.substring(at);
    }
    Mutations.load(workspace, yaml, environment);
  }
}
