package io.stackwright.junit;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PortSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stack for the tests of a class, the way Testcontainers' {@code ComposeContainer} runs a
 * Compose project, but through Stackwright's orchestrator and the Engine API (no Compose binary):
 *
 * <ol>
 *   <li>before the class: loads the stack (a Compose file or a {@link StackSpec}), names it
 *       uniquely (the class's name and a random suffix, so classes run in parallel), gives every
 *       port published without a host port a free one, deploys it on the chosen platform and waits
 *       until every replica runs and is healthy;
 *   <li>hands the tests a {@link RunningStack}: the services' host ports and replica addresses;
 *   <li>after the class, passed or failed: removes the stack with its volumes and closes the
 *       orchestrator.
 * </ol>
 *
 * Declaratively with {@link StackwrightStack}, or programmatically:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final StackwrightExtension SHOP =
 *     StackwrightExtension.forStack(stack).platform("swarm").build();
 * </pre>
 *
 * A static field runs the stack once for the class; an instance field, once for each test. Nested
 * test classes share their enclosing class's stack.
 */
public final class StackwrightExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(StackwrightExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StackwrightExtension.class);
  private static final String STACK = "stack";

  private final Builder settings;
  private volatile Started started;

  /** What {@link StackwrightStack} uses: the settings come from the annotation. */
  public StackwrightExtension() {
    this.settings = null;
  }

  private StackwrightExtension(Builder settings) {
    this.settings = settings;
  }

  /** An extension that deploys {@code stack} (under a unique name derived from its own). */
  public static Builder forStack(StackSpec stack) {
    return new Builder(Objects.requireNonNull(stack, "stack"), null);
  }

  /** An extension that deploys the stack of the Compose file {@code file}. */
  public static Builder forComposeFile(Path file) {
    return new Builder(null, Objects.requireNonNull(file, "file"));
  }

  /**
   * The running stack.
   *
   * @throws IllegalStateException outside the tests it runs for
   */
  public RunningStack stack() {
    Started current = started;
    if (current == null) {
      throw new IllegalStateException(
          "the stack is not running: it runs from before the tests to after them (register the"
              + " extension on a static field to use it in @BeforeAll)");
    }
    return current.stack;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startUnlessRunning(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // An extension on an instance field is registered after beforeAll: it runs per test.
    startUnlessRunning(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopIfStartedIn(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopIfStartedIn(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Started current = context.getStore(NAMESPACE).get(STACK, Started.class);
    if (current == null) {
      current = started;
    }
    if (current == null) {
      throw new ParameterResolutionException(
          "no stack is running for "
              + context.getDisplayName()
              + "; a RunningStack can be injected into tests, constructors and @BeforeAll methods"
              + " of a class whose stack is up");
    }
    return current.stack;
  }

  // ---------------------------------------------------------------- life cycle

  private record Started(RunningStack stack, String owner) {}

  private void startUnlessRunning(ExtensionContext context) {
    if (context.getStore(NAMESPACE).get(STACK, Started.class) != null) {
      return; // an enclosing class (or this one, in beforeAll) brought it up already
    }
    Builder config = settings != null ? settings : fromAnnotation(context);
    Started up = new Started(start(config, context), context.getUniqueId());
    context.getStore(NAMESPACE).put(STACK, up);
    started = up;
  }

  private void stopIfStartedIn(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Started current = store.get(STACK, Started.class);
    if (current == null || !current.owner().equals(context.getUniqueId())) {
      return;
    }
    store.remove(STACK);
    started = null;
    stop(current.stack());
  }

  private static Builder fromAnnotation(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    StackwrightStack annotation = findAnnotation(testClass);
    if (annotation == null) {
      throw new ExtensionConfigurationException(
          testClass.getName()
              + " uses StackwrightExtension without @StackwrightStack; annotate the class or"
              + " register the extension with @RegisterExtension and a builder");
    }
    Builder builder = new Builder(null, composeFile(annotation.file(), testClass));
    if (!annotation.platform().isBlank()) {
      builder.platform(annotation.platform());
    }
    if (!annotation.name().isBlank()) {
      builder.name(annotation.name());
    }
    builder.timeout(Duration.ofSeconds(annotation.timeoutSeconds()));
    builder.profiles(annotation.profiles());
    return builder;
  }

  private static StackwrightStack findAnnotation(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      StackwrightStack found = c.getAnnotation(StackwrightStack.class);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A path that exists, else a class path resource (a file under target/test-classes). */
  static Path composeFile(String file, Class<?> testClass) {
    Path path = Path.of(file);
    if (Files.isRegularFile(path)) {
      return path;
    }
    String resource = file.startsWith("/") ? file.substring(1) : file;
    URL url = testClass.getClassLoader().getResource(resource);
    if (url != null && "file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new ExtensionConfigurationException("cannot read " + url, e);
      }
    }
    throw new ExtensionConfigurationException(
        "no Compose file "
            + file
            + ": neither a file (relative to "
            + Path.of("").toAbsolutePath()
            + ") nor a class path resource"
            + (url == null ? "" : " in a directory (found " + url + ")"));
  }

  private static RunningStack start(Builder config, ExtensionContext context) {
    String name = uniqueName(config.name != null ? config.name : prefixFor(config, context));
    StackSpec loaded =
        config.spec != null
            ? renamed(config.spec, name)
            : ComposeLoader.builder()
                .file(config.file)
                .projectName(name)
                .profiles(config.profiles.toArray(String[]::new))
                .build()
                .load();
    StackSpec spec = withHostPorts(loaded);
    // A test's stack keeps its jobs and health state in memory (the orchestrator keeps health
    // state in its store): the user's store under ~/.stackwright stays untouched, and test JVMs
    // running side by side never wait on one H2 file.
    Orchestrator.Builder orchestration = Orchestrator.builder().inMemoryStore();
    config.properties.forEach(orchestration::property);
    if (config.platformInstance != null) {
      orchestration.platform(config.platformInstance);
    } else if (config.platform != null) {
      orchestration.platform(config.platform);
    }
    config.customizers.forEach(c -> c.accept(orchestration));
    Orchestrator orchestrator = orchestration.build();
    LOG.info(
        "bringing up stack {} on {} for {}",
        name,
        orchestrator.platformName(),
        context.getDisplayName());
    try {
      DeploymentResult result =
          orchestrator
              .deploy(spec, DeployOptions.waitingUpTo(config.timeout))
              .await(config.timeout.plus(Duration.ofSeconds(30)));
      if (!result.succeeded()) {
        throw new OrchestratorException(
            "stack "
                + name
                + " did not come up healthy within "
                + config.timeout
                + ": "
                + result.outcome()
                + ", "
                + result.message()
                + (result.serviceErrors().isEmpty() ? "" : " " + result.serviceErrors()));
      }
    } catch (RuntimeException e) {
      try {
        stop(new RunningStack(spec, orchestrator, null));
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return new RunningStack(spec, orchestrator, hostOf(config.properties));
  }

  private static void stop(RunningStack stack) {
    LOG.info("removing stack {}", stack.name());
    try {
      stack.orchestrator().remove(stack.name(), RemoveOptions.withVolumes());
    } finally {
      stack.orchestrator().close();
    }
  }

  private static String prefixFor(Builder config, ExtensionContext context) {
    if (config.spec != null) {
      return config.spec.name();
    }
    return context.getRequiredTestClass().getSimpleName();
  }

  /** Lower-case letters, digits and '-', at most 24 characters, then '-' and 6 random hex. */
  static String uniqueName(String prefix) {
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.length() > 24) {
      base = base.substring(0, 24).replaceAll("-+$", "");
    }
    if (base.isEmpty()) {
      base = "stack";
    }
    return base + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  }

  private static StackSpec renamed(StackSpec spec, String name) {
    return new StackSpec(
        name,
        spec.services(),
        spec.networks(),
        spec.volumes(),
        spec.secrets(),
        spec.configs(),
        spec.extensions());
  }

  /**
   * Every TCP port published without a host port gets a free one, so the test knows where to
   * connect (the engine would pick one, but neither platform reports it through the API).
   */
  static StackSpec withHostPorts(StackSpec spec) {
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    boolean changed = false;
    for (ServiceSpec service : spec.services().values()) {
      List<PortSpec> ports = new ArrayList<>();
      boolean own = false;
      for (PortSpec port : service.ports()) {
        if ((port.published() == null || port.published() == 0) && "tcp".equals(port.protocol())) {
          ports.add(
              new PortSpec(port.target(), freePort(), port.protocol(), port.mode(), port.hostIp()));
          own = true;
        } else {
          ports.add(port);
        }
      }
      if (own) {
        services.put(service.name(), withPorts(service, ports));
        changed = true;
      } else {
        services.put(service.name(), service);
      }
    }
    if (!changed) {
      return spec;
    }
    return new StackSpec(
        spec.name(),
        services,
        spec.networks(),
        spec.volumes(),
        spec.secrets(),
        spec.configs(),
        spec.extensions());
  }

  /** The service with other ports, every other field as it was (the builder only adds ports). */
  private static ServiceSpec withPorts(ServiceSpec service, List<PortSpec> ports) {
    RecordComponent[] components = ServiceSpec.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] =
            components[i].getName().equals("ports")
                ? ports
                : components[i].getAccessor().invoke(service);
      }
      return ServiceSpec.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy service " + service.name(), e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /** The engine's host: a {@code tcp://} DOCKER_HOST's, else this machine. */
  static String hostOf(Map<String, String> properties) {
    String dockerHost = properties.get(PlatformContext.DOCKER_HOST);
    if (dockerHost == null) {
      dockerHost = System.getenv("DOCKER_HOST");
    }
    if (dockerHost != null && dockerHost.startsWith("tcp://")) {
      String host = URI.create(dockerHost).getHost();
      if (host != null) {
        return host;
      }
    }
    return "127.0.0.1";
  }

  /** Configures a {@link StackwrightExtension}. */
  public static final class Builder {
    private final StackSpec spec;
    private final Path file;
    private String platform;
    private Platform platformInstance;
    private String name;
    private Duration timeout = Duration.ofMinutes(3);
    private final List<String> profiles = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<Consumer<Orchestrator.Builder>> customizers = new ArrayList<>();

    private Builder(StackSpec spec, Path file) {
      this.spec = spec;
      this.file = file;
    }

    /** The platform by its provider's name ({@code compose}, {@code swarm}). */
    public Builder platform(String platform) {
      this.platform = Objects.requireNonNull(platform, "platform");
      return this;
    }

    /**
     * This platform instance (an in-memory one, say); the orchestrator closes it with the stack.
     */
    public Builder platform(Platform platform) {
      this.platformInstance = Objects.requireNonNull(platform, "platform");
      return this;
    }

    /** The start of the stack's name (a random suffix is added). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** How long the stack may take to be deployed and healthy (3 minutes). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Compose profiles to enable (Compose files only). */
    public Builder profiles(String... profiles) {
      this.profiles.addAll(List.of(profiles));
      return this;
    }

    /** An orchestrator property ({@code docker.host}, a router's settings). */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /**
     * Anything else the orchestrator needs (a router, listeners, a clock, another store: by default
     * jobs, revisions and health state are kept in memory).
     */
    public Builder orchestrator(Consumer<Orchestrator.Builder> customizer) {
      customizers.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    public StackwrightExtension build() {
      if (spec == null && file != null && !Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no Compose file " + file.toAbsolutePath());
      }
      return new StackwrightExtension(this);
    }
  }
}
