package io.stackwright.loader.internal;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.loader.LoadLimits;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
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
   * @param envFiles {@code --env-file} files: read instead of {@code .env}, in order (a later one
   *     wins); each must exist
   * @param services the services to load (with the services they depend on, whatever their
   *     profiles), or empty for every service of the active profiles
   * @param limits the bounds of the load
   * @param confined whether the paths the project names must stay inside the working directory or
   *     {@code allowedPaths}
   * @param allowedPaths the directories a confined load may read besides the working directory
   */
  public record Options(
      List<Path> files,
      String projectName,
      Map<String, String> environment,
      Path workingDir,
      Path dotEnvFile,
      boolean readDotEnv,
      Set<String> profiles,
      List<Path> envFiles,
      Set<String> services,
      LoadLimits limits,
      boolean confined,
      List<Path> allowedPaths) {
    public Options {
      files = List.copyOf(files);
      profiles = Set.copyOf(profiles);
      envFiles = List.copyOf(envFiles);
      services = Set.copyOf(services);
      limits = limits == null ? LoadLimits.defaults() : limits;
      allowedPaths = List.copyOf(allowedPaths);
    }

    public Options(
        List<Path> files,
        String projectName,
        Map<String, String> environment,
        Path workingDir,
        Path dotEnvFile,
        boolean readDotEnv,
        Set<String> profiles,
        List<Path> envFiles,
        Set<String> services) {
      this(
          files,
          projectName,
          environment,
          workingDir,
          dotEnvFile,
          readDotEnv,
          profiles,
          envFiles,
          services,
          LoadLimits.defaults(),
          false,
          List.of());
    }

    public Options(
        List<Path> files,
        String projectName,
        Map<String, String> environment,
        Path workingDir,
        Path dotEnvFile,
        boolean readDotEnv,
        Set<String> profiles) {
      this(
          files,
          projectName,
          environment,
          workingDir,
          dotEnvFile,
          readDotEnv,
          profiles,
          List.of(),
          Set.of());
    }
  }

  /**
   * The outcome: a stack and its model, or the problems (never both).
   *
   * @param model the merged, interpolated and normalized model with the Compose specification's key
   *     names (what {@code docker compose config} prints), {@code null} when there are problems
   * @param warnings what was logged at WARN level, in order
   */
  public record Result(
      StackSpec stack,
      List<SpecProblem> problems,
      List<String> warnings,
      Map<String, Object> model) {
    public Result(StackSpec stack, List<SpecProblem> problems, List<String> warnings) {
      this(stack, problems, warnings, null);
    }
  }

  private final Options options;
  private final Diagnostics diagnostics = new Diagnostics();
  private final Set<String> warnedVariables = new HashSet<>();
  private final LoadBudget budget;
  private final Path workingDir;
  private final ProjectFiles files;
  private final Composition composition;

  private ProjectLoader(Options options) {
    this.options = options;
    this.budget = new LoadBudget(options.limits());
    Path firstFile = options.files().get(0).toAbsolutePath().normalize();
    this.workingDir =
        options.workingDir() != null
            ? options.workingDir().toAbsolutePath().normalize()
            : firstFile.getParent();
    this.files =
        new ProjectFiles(
            options.limits(),
            options.confined()
                ? Confinement.to(workingDir, options.allowedPaths())
                : Confinement.none(),
            diagnostics);
    this.composition = new Composition(diagnostics, warnedVariables, files, budget);
  }

  public static Result load(Options options) {
    ProjectLoader loader = new ProjectLoader(options);
    try {
      return loader.run();
    } catch (StackOverflowError e) {
      // a backstop: the depth limits keep the recursion far from a default thread stack
      loader.diagnostics.problem(
          Location.file(options.files().get(0).toString()),
          "",
          "the project nests too deeply for this thread's stack"
              + LoadBudget.raise("maxNestingDepth").replace("raise", "lower"));
      return loader.failed();
    }
  }

  private Result run() {
    Map<String, String> base =
        options.environment() != null ? options.environment() : System.getenv();
    Map<String, String> environment = new HashMap<>(dotEnv(workingDir, base));
    environment.putAll(base);

    List<List<Node>> documents = new ArrayList<>();
    for (Path file : options.files()) {
      documents.add(composition.read(file));
    }
    if (diagnostics.hasProblems() && documents.stream().allMatch(List::isEmpty)) {
      return failed(); // no file could be read: nothing more to say
    }
    if (budget.exhausted()) {
      return failed();
    }
    String name = projectName(documents, environment, workingDir);
    if (name != null) {
      environment.put("COMPOSE_PROJECT_NAME", name);
    }

    Node merged = null;
    for (Path file : options.files()) {
      merged = TreeMerger.merge(merged, composition.loadFile(file, environment::get, List.of()));
    }
    if (budget.exhausted()) {
      return failed(); // what is left after a limit is partial: nothing more to say about it
    }
    if (merged == null) {
      if (!diagnostics.hasProblems()) {
        diagnostics.problem(
            Location.file(options.files().get(0).toString()), "", "empty compose file");
      }
      return failed();
    }
    if (!(merged instanceof MapNode mergedMap)) {
      diagnostics.problem(
          merged.location(),
          "",
          "the top level must be a mapping (found " + merged.describe() + ")");
      return failed();
    }
    if (mergedMap.get("services") instanceof MapNode services
        && services.entries().size() > options.limits().maxServices()) {
      diagnostics.problem(
          mergedMap.entry("services").keyLocation(),
          "services",
          "the project has "
              + services.entries().size()
              + " services, more than the limit of "
              + options.limits().maxServices()
              + LoadBudget.raise("maxServices"));
      return failed();
    }
    Node untagged = Node.untag(composition.resolveExtends(mergedMap, environment::get));
    if (budget.exhausted()) {
      return failed();
    }
    MapNode root =
        untagged instanceof MapNode map ? map : new MapNode(mergedMap.location(), Map.of());

    if (root.has("version")) {
      diagnostics.warn(
          root.entry("version").keyLocation(),
          "version",
          "the attribute `version` is obsolete, it will be ignored");
    }
    List<String> schemaPaths = SchemaValidator.validate(root, diagnostics);
    diagnostics.quietUnder(schemaPaths);

    Set<String> profiles = new LinkedHashSet<>(options.profiles());
    String fromEnv = environment.get("COMPOSE_PROFILES");
    if (fromEnv != null) {
      for (String profile : fromEnv.split(",")) {
        if (!profile.isBlank()) {
          profiles.add(profile.strip());
        }
      }
    }
    Profiles.Selection selection = Profiles.select(root, profiles, options.services(), diagnostics);
    String home = base.getOrDefault("HOME", System.getProperty("user.home"));
    LoadContext context =
        new LoadContext(
            diagnostics,
            name == null ? "invalid" : name,
            environment::get,
            workingDir,
            home,
            profiles,
            selection.disabled(),
            composition.resourceEnvironments(),
            files,
            budget);
    int before = diagnostics.problemCount();
    StackSpec stack = null;
    try {
      stack =
          new StackConverter(context).convert(selection.model(), name == null ? "invalid" : name);
    } catch (InvalidSpecException e) {
      // the stack's own checks, should one not have been made here first
      for (SpecProblem p : e.problems()) {
        diagnostics.problem(
            Location.file(options.files().get(0).toString()), p.path(), p.message());
      }
    }
    // what the schema already reported is not reported again by the conversion
    diagnostics.dropAfter(
        before,
        p ->
            schemaPaths.stream()
                .anyMatch(
                    s ->
                        p.path().equals(s)
                            || p.path().startsWith(s + ".")
                            || p.path().startsWith(s + "[")));
    if (diagnostics.hasProblems() || stack == null || budget.exhausted()) {
      return failed();
    }
    Map<String, Object> model = Normalizer.normalize(selection.model(), stack, context);
    // problems found later (admission, a platform) point into the files too
    io.stackwright.api.SpecSources.attach(stack, new TreeLocator(selection.model()));
    return new Result(stack, List.of(), diagnostics.warnings(), model);
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
    return new Result(null, problems, diagnostics.warnings(), null);
  }

  private Map<String, String> dotEnv(Path workingDir, Map<String, String> base) {
    if (!options.envFiles().isEmpty()) {
      Map<String, String> values = new HashMap<>();
      for (Path file : options.envFiles()) {
        String content = files.text(file, "env file (--env-file)", null, "", false, false);
        if (content != null) {
          Map<String, String> outer = new HashMap<>(values);
          outer.putAll(base);
          values.putAll(
              DotEnv.parse(file.toString(), content, false, outer::get, true, diagnostics, budget));
        }
      }
      return values;
    }
    if (!options.readDotEnv()) {
      return Map.of();
    }
    boolean explicit = options.dotEnvFile() != null;
    Path file = explicit ? options.dotEnvFile() : workingDir.resolve(".env");
    String content = files.text(file, "env file", null, "", false, !explicit);
    if (content == null) {
      return Map.of();
    }
    return DotEnv.parse(file.toString(), content, false, base::get, true, diagnostics, budget);
  }

  /**
   * The explicit name (validated), else the last top-level {@code name:} (interpolated, then
   * normalized), else the working directory's name (normalized).
   */
  private String projectName(
      List<List<Node>> documents, Map<String, String> environment, Path workingDir) {
    String explicit = options.projectName();
    if (explicit == null) {
      String fromEnv = environment.get("COMPOSE_PROJECT_NAME");
      explicit = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }
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
          new TreeInterpolator(environment::get, diagnostics, warnedVariables, budget)
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
