package io.stackwright.core.compose.internal;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.core.compose.internal.Node.MapNode;
import io.stackwright.core.compose.internal.Node.ScalarNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One load of a Compose project: read the files, work out the environment and the project name,
 * interpolate, merge, convert. Only reads files; never writes anything.
 */
public final class ProjectLoader {
  private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /**
   * What to load.
   *
   * @param environment the variables, or {@code null} for the process environment
   * @param workingDir the project directory, or {@code null} for the first file's directory
   * @param dotEnvFile the {@code .env} file to read, or {@code null} for {@code .env} in the
   *     working directory (optional there)
   * @param readDotEnv whether to read a {@code .env} file at all
   */
  public record Options(
      List<Path> files,
      String projectName,
      Map<String, String> environment,
      Path workingDir,
      Path dotEnvFile,
      boolean readDotEnv,
      Set<String> profiles) {
    public Options {
      files = List.copyOf(files);
      profiles = Set.copyOf(profiles);
    }
  }

  /**
   * The outcome: a stack, or the problems (never both).
   *
   * @param warnings what was logged at WARN level, in order
   */
  public record Result(StackSpec stack, List<SpecProblem> problems, List<String> warnings) {}

  private final Options options;
  private final Diagnostics diagnostics = new Diagnostics();
  private final Set<String> warnedVariables = new HashSet<>();

  private ProjectLoader(Options options) {
    this.options = options;
  }

  public static Result load(Options options) {
    return new ProjectLoader(options).run();
  }

  private Result run() {
    Path firstFile = options.files().get(0).toAbsolutePath().normalize();
    Path workingDir =
        options.workingDir() != null
            ? options.workingDir().toAbsolutePath().normalize()
            : firstFile.getParent();
    Map<String, String> base =
        options.environment() != null ? options.environment() : System.getenv();
    Map<String, String> environment = new HashMap<>(dotEnv(workingDir, base));
    environment.putAll(base);

    List<List<Node>> documents = new ArrayList<>();
    for (Path file : options.files()) {
      documents.add(read(file));
    }
    String name = projectName(documents, environment, workingDir);
    if (name != null) {
      environment.put("COMPOSE_PROJECT_NAME", name);
    }

    TreeInterpolator interpolator =
        new TreeInterpolator(environment::get, diagnostics, warnedVariables);
    Node merged = null;
    for (List<Node> fileDocuments : documents) {
      for (Node document : fileDocuments) {
        Node interpolated = interpolator.interpolate(document, "");
        merged = merged == null ? interpolated : TreeMerger.merge(merged, interpolated);
      }
    }
    if (merged == null) {
      if (!diagnostics.hasProblems()) {
        diagnostics.problem(
            Location.file(options.files().get(0).toString()), "", "empty compose file");
      }
      return failed();
    }
    if (!(merged instanceof MapNode root)) {
      diagnostics.problem(
          merged.location(), "", "the top level must be a mapping, not " + merged.describe());
      return failed();
    }
    Set<String> profiles = new LinkedHashSet<>(options.profiles());
    String fromEnv = environment.get("COMPOSE_PROFILES");
    if (fromEnv != null) {
      for (String profile : fromEnv.split(",")) {
        if (!profile.isBlank()) {
          profiles.add(profile.strip());
        }
      }
    }
    String home = base.getOrDefault("HOME", System.getProperty("user.home"));
    LoadContext context =
        new LoadContext(diagnostics, environment::get, workingDir, home, profiles);
    StackSpec stack = null;
    try {
      stack = new StackConverter(context).convert(root, name == null ? "invalid" : name);
    } catch (InvalidSpecException e) {
      // the stack's own checks, should one not have been made here first
      for (SpecProblem p : e.problems()) {
        diagnostics.problem(
            Location.file(options.files().get(0).toString()), p.path(), p.message());
      }
    }
    if (diagnostics.hasProblems() || stack == null) {
      return failed();
    }
    return new Result(stack, List.of(), diagnostics.warnings());
  }

  /** The problems in input order: by file (Compose files first, as given), line, column. */
  private Result failed() {
    List<String> order = options.files().stream().map(Path::toString).toList();
    List<SpecProblem> problems = new ArrayList<>(diagnostics.problems());
    problems.sort(
        Comparator.comparingInt(
                (SpecProblem p) -> {
                  if (p.file() == null) {
                    return -1;
                  }
                  int i = order.indexOf(p.file());
                  return i < 0 ? order.size() : i;
                })
            .thenComparing(p -> p.file() == null ? "" : p.file())
            .thenComparingInt(SpecProblem::line)
            .thenComparingInt(SpecProblem::column));
    return new Result(null, problems, diagnostics.warnings());
  }

  private Map<String, String> dotEnv(Path workingDir, Map<String, String> base) {
    if (!options.readDotEnv()) {
      return Map.of();
    }
    boolean explicit = options.dotEnvFile() != null;
    Path file = explicit ? options.dotEnvFile() : workingDir.resolve(".env");
    if (!explicit && !Files.isRegularFile(file)) {
      return Map.of();
    }
    String content = readText(file);
    if (content == null) {
      return Map.of();
    }
    return DotEnv.parse(file.toString(), content, false, base::get, true, diagnostics);
  }

  private List<Node> read(Path file) {
    String content = readText(file);
    if (content == null) {
      return List.of();
    }
    return YamlTreeReader.read(file.toString(), content, diagnostics);
  }

  /** The file's text, or {@code null} after recording why it cannot be read. */
  private String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      diagnostics.problem(Location.file(file.toString()), "", "file not found");
    } catch (CharacterCodingException e) {
      diagnostics.problem(Location.file(file.toString()), "", "file is not valid UTF-8");
    } catch (IOException e) {
      diagnostics.problem(
          Location.file(file.toString()),
          "",
          "file cannot be read: " + e.getClass().getSimpleName());
    }
    return null;
  }

  /**
   * The explicit name (validated), else the last top-level {@code name:} (interpolated, then
   * normalized), else the working directory's name (normalized).
   */
  private String projectName(
      List<List<Node>> documents, Map<String, String> environment, Path workingDir) {
    String explicit = options.projectName();
    if (explicit != null) {
      if (!PROJECT_NAME.matcher(explicit).matches()) {
        diagnostics.problem(
            null,
            "name",
            "invalid project name \""
                + explicit
                + "\": use lower-case letters, digits, '_' or '-', starting with a letter or digit");
        return null;
      }
      return explicit;
    }
    Node nameNode = null;
    for (List<Node> fileDocuments : documents) {
      for (Node document : fileDocuments) {
        if (document instanceof MapNode map && map.get("name") != null) {
          nameNode = map.get("name");
        }
      }
    }
    if (nameNode instanceof ScalarNode scalar && !scalar.isNull()) {
      Node interpolated =
          new TreeInterpolator(environment::get, diagnostics, warnedVariables)
              .interpolate(scalar, "name");
      String normalized = normalize(((ScalarNode) interpolated).text());
      if (normalized.isEmpty()) {
        diagnostics.problem(scalar.location(), "name", "project name must not be empty");
        return null;
      }
      return normalized;
    }
    if (nameNode != null && !(nameNode instanceof ScalarNode)) {
      diagnostics.problem(
          nameNode.location(), "name", "must be a string, not " + nameNode.describe());
      return null;
    }
    Path dirName = workingDir.getFileName();
    String normalized = dirName == null ? "" : normalize(dirName.toString());
    if (normalized.isEmpty()) {
      diagnostics.problem(
          Location.file(options.files().get(0).toString()),
          "name",
          "project name must not be empty: set one, or a top-level name");
      return null;
    }
    return normalized;
  }

  /** Lower-cased, characters outside {@code [a-z0-9_-]} dropped, leading '_' and '-' trimmed. */
  static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    return lower.replaceFirst("^[_-]+", "");
  }
}
