package io.stackwright.loader.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stackwright.loader.PeerData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the loader with Jazzer: the fuzzer chooses a valid seed file and the
 * edits to apply to it ({@link Mutations#mutate}), steered by the branches each input reaches.
 * Every input must give a stack or an {@code InvalidSpecException} with located problems, within a
 * bound on the memory allocated and the time taken (per input, with lowered {@link
 * Hostile#LIMITS}); any other exception, or a load past the bounds, is a finding, which Jazzer
 * reports with the input that caused it. One input in 32 is a resource-exhaustion shape ({@link
 * Hostile}): huge scalars, aliases of large anchors, deep nesting, long substitution chains, a
 * large variable referenced many times, many services.
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
    Mutations.warmUp(workspace, environment);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Mutations.delete(workspace);
  }

  // Bounded in time as well, so a slow machine keeps the build short (the loader is on the way to
  // every integration test); the log prints how many ran.
  @FuzzTest(maxExecutions = 100_000, maxDuration = "20s")
  void everyInputGivesAModelOrATypedValidationError(FuzzedDataProvider data) {
    if (data.consumeInt(0, 31) == 0) {
      // one input in 32: a resource-exhaustion shape, bounded in memory and time like the rest
      Mutations.load(
          workspace,
          Hostile.generate(data.consumeInt(), data.consumeInt(), data.consumeInt()),
          environment);
      return;
    }
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
