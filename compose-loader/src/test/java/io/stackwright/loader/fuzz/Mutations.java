package io.stackwright.loader.fuzz;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SpecProblem;
import io.stackwright.loader.ComposeLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Mutated Compose files for fuzzing the loader: valid files (the upstream fixtures that load, read
 * in place, and files of this repository) with one to four random edits that break YAML, types,
 * interpolation, merge tags, anchors and references. The edits come from the coverage-guided fuzzer
 * (LoaderCoverageFuzzTest), so the same fuzzer input always gives the same file.
 */
public final class Mutations {
  private Mutations() {}

  /** Fixtures that load (paths under compose-fixtures), the seeds of every mutation. */
  private static final List<String> SEED_FILES =
      List.of(
          "compose-go/loader/testdata/compose-test-with-version.yaml",
          "compose-go/loader/inline-TestLoadExpandedPortFormat.yaml",
          "compose-go/loader/inline-TestLoadWithDependsOn.yaml",
          "compose-go/loader/inline-TestLoadExtendsDependsOn.yaml",
          "compose-go/loader/inline-TestLoadExtendsWihReset.yaml",
          "compose-go/loader/inline-TestLoadWithInterpolationCastFull.yaml",
          "compose-go/loader/inline-TestLoadWithEnvironmentInterpolation.yaml",
          "compose-go/loader/tests/inline-TestHealthcheck.yaml",
          "compose-go/loader/tests/inline-TestDeployResources.yaml",
          "compose-go/loader/tests/inline-TestDeployUpdateRollbackConfig.yaml",
          "compose-go/loader/tests/inline-TestServiceNetworks.yaml",
          "compose-go/loader/tests/inline-TestTopLevelNetworks.yaml",
          "compose-go/loader/tests/inline-TestTopLevelVolumes.yaml",
          "compose-go/loader/tests/inline-TestUlimits.yaml",
          "compose-go/loader/tests/inline-TestServiceSecrets.yaml",
          "compose-go/loader/tests/inline-TestDependsOnObject.yaml",
          "docker-compose/pkg/e2e/testdata/TestConfigFromEnv/compose.yaml",
          "docker-compose/pkg/e2e/testdata/TestScaleBasicCases/compose.yaml",
          "docker-compose/pkg/e2e/fixtures/restart-test/compose-depends-on.yaml");

  /** A file of our own with anchors, merge keys, tags and every interpolation form. */
  private static final String OWN =
      """
      name: fuzz
      x-defaults: &defaults
        image: busybox:${TAG:-latest}
        restart: unless-stopped
        labels: {tier: "${TIER-back}"}
      services:
        web:
          <<: *defaults
          command: ["sh", "-c", "echo $$HOME ${GREETING:+hi}"]
          ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp", {target: 443, published: "8443", mode: host}]
          volumes: ["data:/data:ro", "./src:/src", {type: tmpfs, target: /tmp, tmpfs: {size: 64m}}]
          environment: [A=1, "B=${B:-two}", C]
          depends_on:
            db: {condition: service_healthy, required: true, restart: true}
          networks: {front: {aliases: [www], ipv4_address: 10.5.0.5}}
          healthcheck: {test: "curl -f localhost", interval: 10s, retries: 3, start_period: 5s}
          ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
          secrets: [token, {source: token, target: /run/secrets/t2, mode: 0440}]
          configs: [{source: conf, target: /etc/conf}]
          deploy:
            replicas: ${REPLICAS:-2}
            resources: {limits: {cpus: '0.5', memory: 128m}}
            update_config: {parallelism: 1, order: start-first, failure_action: rollback}
            restart_policy: {condition: on-failure, max_attempts: 3}
            placement: {constraints: [node.role==worker]}
        db:
          <<: *defaults
          image: postgres
          profiles: [db]
          command: !reset null
          volumes: !override [db:/var/lib/postgresql/data]
          healthcheck: {test: [CMD, pg_isready], interval: 5s}
      networks:
        front: {driver: overlay, ipam: {config: [{subnet: 10.5.0.0/16}]}}
      volumes: {data: {}, db: {labels: [a=b]}}
      secrets: {token: {environment: TOKEN}}
      configs: {conf: {content: "x=${B:-1}"}}
      """;

  private static final String[] TOKENS = {
    "${",
    "$$",
    "$",
    "${X:?boom}",
    "${UNSET?}",
    "${A:-${B:-c}}",
    "!reset ",
    "!override ",
    "<<: *defaults",
    "&a ",
    "*a",
    "*nope",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "null",
    "~",
    "-1",
    "99999",
    "0x1F",
    "0777",
    ".inf",
    "1e400",
    "\t",
    "\\",
    "!!binary ",
    "!!int ",
    "? ",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "#",
    "%YAML 1.2\n",
    "é",
    "\u0000",
    "  ",
    "\n  ",
    "x-ext: 1\n",
    "extends: web\n",
    "include: [nope.yaml]\n",
    "profiles: [p]\n",
    "depends_on: [web]\n",
    "networks: [missing]\n",
    "ports: ['70000:80']\n",
    "ports: ['8080:80']\n",
    "9223372036854775808",
    "-",
    "::",
    ":::80"
  };

  private static final String[] VALUES = {
    "[]", "{}", "null", "true", "-1", "\"x\"", "[a, 1]", "{a: b}", "${VAR}", "65536-65540:80",
    "1.5", "0", "\"\"", "[{}]", "[[1]]", "!reset", "!override {}", "*defaults", "10 parsecs",
        "1e309",
    "${TAG:?required}", "\"$\"", "0o777", "-0.5", "yes"
  };

  private record Mutation(int kind, int a, int b) {}

  private static volatile List<String> seeds;

  /** The seed texts: the fixtures, read in place, and {@link #OWN}. */
  public static List<String> seeds(Path fixtures) {
    List<String> s = seeds;
    if (s == null) {
      List<String> texts = new ArrayList<>();
      for (String file : SEED_FILES) {
        try {
          texts.add(Files.readString(fixtures.resolve(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      texts.add(OWN);
      seeds = s = List.copyOf(texts);
    }
    return s;
  }

  /**
   * Applies edits given as triples of ints (kind, a, b), as a coverage-guided fuzzer supplies them;
   * the same triples always give the same file.
   */
  public static String mutate(String seed, int[] edits) {
    List<Mutation> mutations = new ArrayList<>();
    for (int i = 0; i + 2 < edits.length; i += 3) {
      mutations.add(
          new Mutation(
              Math.floorMod(edits[i], 9),
              edits[i + 1] & Integer.MAX_VALUE,
              edits[i + 2] & Integer.MAX_VALUE));
    }
    return apply(seed, mutations);
  }

  private static String apply(String seed, List<Mutation> mutations) {
    String text = seed;
    for (Mutation m : mutations) {
      text = apply(text, m);
    }
    return text;
  }

  private static String apply(String text, Mutation m) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int n = lines.size();
    int line = m.a() % n;
    switch (m.kind()) {
      case 0: // delete a line
        lines.remove(line);
        break;
      case 1: // duplicate a line
        lines.add(line, lines.get(line));
        break;
      case 2: // swap two lines
        {
          int other = m.b() % n;
          String l = lines.get(line);
          lines.set(line, lines.get(other));
          lines.set(other, l);
          break;
        }
      case 3: // indent or dedent
        lines.set(
            line,
            m.b() % 2 == 0 ? "  " + lines.get(line) : lines.get(line).replaceFirst("^ {1,2}", ""));
        break;
      case 4: // replace a character
        {
          if (text.isEmpty()) {
            return text;
          }
          int at = m.a() % text.length();
          String token = TOKENS[m.b() % TOKENS.length];
          return text.substring(0, at) + token.charAt(0) + text.substring(at + 1);
        }
      case 5: // insert a token
        {
          int at = text.isEmpty() ? 0 : m.a() % text.length();
          return text.substring(0, at) + TOKENS[m.b() % TOKENS.length] + text.substring(at);
        }
      case 6: // truncate
        return text.isEmpty() ? text : text.substring(0, m.a() % text.length());
      case 7: // replace a value
        {
          String l = lines.get(line);
          int colon = l.indexOf(": ");
          if (colon >= 0) {
            lines.set(line, l.substring(0, colon + 2) + VALUES[m.b() % VALUES.length]);
          } else if (l.strip().startsWith("- ")) {
            lines.set(line, l.substring(0, l.indexOf("- ") + 2) + VALUES[m.b() % VALUES.length]);
          }
          break;
        }
      default: // a line of another seed's shape: an inserted key at this line's indentation
        {
          String l = lines.get(line);
          String indent = l.substring(0, l.length() - l.stripLeading().length());
          lines.add(
              line,
              indent
                  + TOKENS[m.b() % TOKENS.length].strip()
                  + ": "
                  + VALUES[m.a() % VALUES.length]);
          break;
        }
    }
    return String.join("\n", lines);
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * Loads {@code yaml} as {@code compose.yaml} in {@code dir} through the public API, with the fuzz
   * run's {@link Hostile#LIMITS}, and returns normally when the loader returned a stack or threw an
   * {@link InvalidSpecException} with at least one located problem, within {@link
   * Hostile#MAX_ALLOCATED} bytes allocated and {@link Hostile#MAX_MILLIS}; anything else is thrown,
   * with the input.
   */
  public static Outcome load(Path dir, String yaml, Map<String, String> environment) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    Outcome outcome = loadOnce(dir, yaml, environment);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > Hostile.MAX_ALLOCATED || millis > Hostile.MAX_MILLIS) {
      throw new AssertionError(
          "a load of "
              + yaml.length()
              + " characters allocated "
              + allocated
              + " bytes in "
              + millis
              + " ms (bounds: "
              + Hostile.MAX_ALLOCATED
              + " bytes, "
              + Hostile.MAX_MILLIS
              + " ms) for:\n"
              + (yaml.length() > 2_000 ? yaml.substring(0, 2_000) + "..." : yaml));
    }
    return outcome;
  }

  /**
   * Loads a seed once, unmeasured: the first load of a JVM reads the Compose schema and loads
   * classes, which is not what the bounds are about.
   */
  public static void warmUp(Path dir, Map<String, String> environment) {
    loadOnce(dir, OWN, environment);
  }

  private static Outcome loadOnce(Path dir, String yaml, Map<String, String> environment) {
    Path file = dir.resolve("compose.yaml");
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ComposeLoader.Result result =
          ComposeLoader.builder()
              .file(file)
              .projectName("fuzz")
              .environment(environment)
              .profiles("db")
              .limits(Hostile.LIMITS)
              .build()
              .loadWithModel();
      if (result.stack() == null || result.model() == null) {
        throw new AssertionError("a result without a stack or a model for:\n" + yaml);
      }
      return Outcome.LOADED;
    } catch (InvalidSpecException e) {
      if (e.problems().isEmpty()) {
        throw new AssertionError("an InvalidSpecException without problems for:\n" + yaml, e);
      }
      for (SpecProblem p : e.problems()) {
        if (p.message().isBlank()) {
          throw new AssertionError("a problem without a message for:\n" + yaml, e);
        }
      }
      return Outcome.INVALID;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new AssertionError("the loader threw " + e.getClass().getName() + " for:\n" + yaml, e);
    }
  }

  /** What a load came to. */
  public enum Outcome {
    LOADED,
    INVALID
  }

  /** The working directory of a fuzz run: secret and config files the seeds name. */
  public static Path workspace() throws IOException {
    Path dir = Files.createTempDirectory("fuzz");
    Files.writeString(dir.resolve("secret_data"), "s", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("config_data"), "c", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("config.txt"), "c", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(".env"), "TAG=1.0\nTIER=front\n", StandardCharsets.UTF_8);
    return dir;
  }

  /** Deletes a workspace. */
  public static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The environment of every fuzz load: a few variables the seeds use, some of them odd. */
  public static Map<String, String> environment() {
    Map<String, String> environment = new java.util.HashMap<>();
    String[] pairs = {
      "B",
      "b",
      "REPLICAS",
      "3",
      "TOKEN",
      "t",
      "theint",
      "555",
      "thefloat",
      "0.5",
      "thebool",
      "true",
      "theduration",
      "60s",
      "thesize",
      "2gb",
      "CONFIG",
      "config",
      "HOME",
      "/home/fuzz"
    };
    for (int i = 0; i < pairs.length; i += 2) {
      environment.put(pairs[i], pairs[i + 1]);
    }
    environment.put(Hostile.BIG_VARIABLE, Hostile.BIG_VALUE);
    return Map.copyOf(environment);
  }
}
