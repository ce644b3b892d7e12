package io.stackwright.loader;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.StackSpec;
import io.stackwright.loader.internal.ModelWriter;
import io.stackwright.loader.internal.ProjectLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads Compose files into a {@link StackSpec}.
 *
 * <pre>{@code
 * StackSpec stack = ComposeLoader.load(Path.of("stack.yml"), "shop");
 *
 * StackSpec stack = ComposeLoader.builder()
 *     .file(Path.of("compose.yml"))
 *     .file(Path.of("compose.prod.yml"))   // merged over the first
 *     .projectName("shop")
 *     .environment(Map.of("TAG", "1.4"))   // instead of the process environment
 *     .build()
 *     .load();
 * }</pre>
 *
 * <p>Variables ({@code ${VAR:-default}} and the other Compose forms) are substituted from the
 * environment (the process environment unless one is given), over a {@code .env} file in the
 * working directory or the {@link Builder#envFile env files} given: the environment wins. Files are
 * validated against the Compose Specification's JSON schema after interpolation and merging, then
 * checked across services. {@code include}, {@code extends}, {@code !reset} and {@code !override}
 * and profiles work as in {@code docker compose}. The working directory is the first file's
 * directory unless one is given; relative bind mounts and secret and config files resolve against
 * it, and {@code env_file} paths against the directory of the file that names them.
 *
 * <p>The project name is the one given, else the top-level {@code name:}, else the working
 * directory's name, lower-cased and stripped of characters outside {@code [a-z0-9_-]}.
 *
 * <p>Invalid input fails with one {@link InvalidSpecException} listing every problem of every file,
 * each with its file, line, column and key path. Keys of the Compose specification that a {@link
 * StackSpec} cannot represent are logged at WARN level; they stay in the {@link Result#model()
 * model}. Loading reads the files, {@code .env}, env files and secret and config files, and writes
 * nothing. A loader is immutable; {@link #load()} reads the files again on each call.
 *
 * <p>Every load is bounded by {@link LoadLimits} (file sizes, model size, nesting, aliases,
 * includes, services, read time; {@link Builder#limits}): a project past a limit fails like any
 * other invalid input, with a problem that names the limit. Only regular files are read. Labels
 * under {@code com.docker.} and {@code io.stackwright.} are refused, and secret and config targets
 * may not climb out of their directory with {@code ..}. A {@link Builder#confined confined} load,
 * meant for files written by people the host does not trust, also keeps every path the project
 * names (includes, extends, env, label, secret and config files, bind-mount sources and local
 * volume devices) inside the project directory, and the names of the networks, volumes, secrets and
 * configs it creates inside the stack.
 */
public final class ComposeLoader {
  private final ProjectLoader.Options options;

  private ComposeLoader(ProjectLoader.Options options) {
    this.options = options;
  }

  /**
   * Loads one file with the process environment.
   *
   * @param projectName the stack name, or {@code null} to take it from the file or its directory
   * @throws InvalidSpecException listing every problem found
   */
  public static StackSpec load(Path file, String projectName) {
    return builder().file(file).projectName(projectName).build().load();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads, merges and converts the files.
   *
   * @throws InvalidSpecException listing every problem found; nothing is half-loaded
   */
  public StackSpec load() {
    return loadWithModel().stack();
  }

  /**
   * Reads, merges and converts the files, and also returns the model as {@code docker compose
   * config} shows it.
   *
   * @throws InvalidSpecException listing every problem found; nothing is half-loaded
   */
  public Result loadWithModel() {
    ProjectLoader.Result result = ProjectLoader.load(options);
    if (result.stack() == null) {
      throw new InvalidSpecException(result.problems());
    }
    return new Result(result.stack(), result.model(), result.warnings());
  }

  /**
   * The normalized model (merged, interpolated, short forms written long, with the Compose
   * specification's key names, keys the {@link StackSpec} cannot hold included) as YAML or JSON,
   * like {@code docker compose config}. It shows the values of the variables used, as that command
   * does, but never the content of a secret. Every {@code $} of a value is written {@code $$}, so
   * that the output, loaded again, means what it shows.
   *
   * @throws InvalidSpecException listing every problem found
   */
  public String render(Format format) {
    return ModelWriter.write(ModelWriter.escaped(loadWithModel().model()), format == Format.JSON);
  }

  /** What {@link #render(Format)} writes. */
  public enum Format {
    YAML,
    JSON
  }

  /**
   * A loaded project.
   *
   * @param stack the stack to deploy
   * @param model the normalized Compose model (unmodifiable maps and lists of strings, numbers,
   *     booleans and nulls), including the keys {@code stack} cannot represent
   * @param warnings what the load logged at WARN level, in order
   */
  public record Result(StackSpec stack, Map<String, Object> model, List<String> warnings) {
    public Result {
      Objects.requireNonNull(stack, "stack");
      Objects.requireNonNull(model, "model");
      warnings = List.copyOf(warnings);
    }
  }

  /** The files this loader reads, in merge order. */
  public List<Path> files() {
    return options.files();
  }

  /** Configures a {@link ComposeLoader}. */
  public static final class Builder {
    private final List<Path> files = new ArrayList<>();
    private String projectName;
    private Map<String, String> environment;
    private Path workingDir;
    private Path dotEnvFile;
    private boolean readDotEnv = true;
    private final Set<String> profiles = new LinkedHashSet<>();
    private final List<Path> envFiles = new ArrayList<>();
    private final Set<String> services = new LinkedHashSet<>();
    private LoadLimits limits = LoadLimits.defaults();
    private boolean confined;
    private final List<Path> allowedPaths = new ArrayList<>();

    private Builder() {}

    /** The bounds of the load; {@link LoadLimits#defaults()} unless given. */
    public Builder limits(LoadLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Confines the load, for files from people the host does not trust (a tenant's): every path the
     * project names (an {@code include}, {@code extends.file}, {@code env_file}, {@code
     * label_file}, a secret's or config's {@code file}, a bind mount's source, a local volume's
     * bind {@code device}) must resolve, symlinks followed, inside the project (working) directory
     * or one of {@code alsoAllowed}; and a network, volume, secret or config the stack creates must
     * be named {@code <project>_...} unless it is declared {@code external}. Each path outside is a
     * problem of the load. The files given to this builder and its env files are the caller's and
     * are not checked. Off by default.
     */
    public Builder confined(Path... alsoAllowed) {
      this.confined = true;
      for (Path path : alsoAllowed) {
        allowedPaths.add(Objects.requireNonNull(path, "alsoAllowed"));
      }
      return this;
    }

    /** Adds a Compose file; later files are merged over earlier ones. */
    public Builder file(Path file) {
      files.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * The stack name; it must match {@code [a-z0-9][a-z0-9_-]*}. {@code null} (the default) takes
     * the top-level {@code name:} or the working directory's name.
     */
    public Builder projectName(String projectName) {
      this.projectName = projectName;
      return this;
    }

    /** The variables to use instead of the process environment (copied). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The project directory, instead of the first file's directory. */
    public Builder workingDir(Path workingDir) {
      this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
      return this;
    }

    /** Reads this file instead of {@code .env} in the working directory; it must exist. */
    public Builder dotEnvFile(Path dotEnvFile) {
      this.dotEnvFile = Objects.requireNonNull(dotEnvFile, "dotEnvFile");
      this.readDotEnv = true;
      return this;
    }

    /**
     * Reads this file for variables, like {@code docker compose --env-file}; repeatable, a later
     * file wins. Given env files replace the {@code .env} of the working directory; each must
     * exist. The environment still wins over them.
     */
    public Builder envFile(Path envFile) {
      envFiles.add(Objects.requireNonNull(envFile, "envFile"));
      return this;
    }

    /**
     * Loads only these services and the services they depend on (whatever the profiles of those),
     * like {@code docker compose up web}. By default every service of the active profiles is
     * loaded.
     */
    public Builder services(String... services) {
      this.services.addAll(List.of(services));
      return this;
    }

    /** Reads no {@code .env} file at all. */
    public Builder noDotEnv() {
      this.dotEnvFile = null;
      this.readDotEnv = false;
      return this;
    }

    /**
     * Activates profiles: a service with {@code profiles:} is loaded only when one of them is
     * active (here or in {@code COMPOSE_PROFILES}); {@code "*"} activates all.
     */
    public Builder profiles(String... profiles) {
      this.profiles.addAll(List.of(profiles));
      return this;
    }

    /**
     * @throws IllegalStateException when no file was given
     */
    public ComposeLoader build() {
      if (files.isEmpty()) {
        throw new IllegalStateException("a ComposeLoader needs at least one file");
      }
      return new ComposeLoader(
          new ProjectLoader.Options(
              files,
              projectName,
              environment,
              workingDir,
              dotEnvFile,
              readDotEnv,
              profiles,
              envFiles,
              services,
              limits,
              confined,
              allowedPaths));
    }
  }
}
