package io.stackwright.compose.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a project's containers cannot say about themselves, kept next to its secret files in {@code
 * <state dir>/<project>/project.properties}: for each service, the replicas asked for, the config
 * hash and the mode last applied. Container labels cannot change, so after a scale-down the
 * surviving containers still carry the replicas they were created with, and a service scaled to
 * zero has no container left to carry anything.
 *
 * <p>It is a cache of the last apply on this host, not the source of truth: status falls back to
 * the containers' labels when it is missing (a project compose created, another host), and it never
 * holds secrets.
 */
public final class ProjectState {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectState.class);
  static final String FILE = "project.properties";

  /** One service as last applied. */
  public record ServiceRecord(int replicas, String hash, String mode) {}

  private final SecretFiles files;

  public ProjectState(SecretFiles files) {
    this.files = files;
  }

  private Path file(String project) {
    return files.projectDir(project).resolve(FILE);
  }

  /** The services last applied on this host, in declaration order; empty when unknown. */
  public Map<String, ServiceRecord> read(String project) {
    Properties p = new Properties();
    if (!Files.exists(files.root(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Map.of();
    }
    // what another user could have written is never read as this project's state
    files.privateProjectDir(project);
    try (InputStream in =
        Files.newInputStream(file(project), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      LOG.debug("Cannot read the state of project {}", project, e);
      return Map.of();
    }
    Map<String, ServiceRecord> services = new LinkedHashMap<>();
    for (String service : p.getProperty("services", "").split(",")) {
      if (service.isBlank()) {
        continue;
      }
      try {
        services.put(
            service,
            new ServiceRecord(
                Integer.parseInt(p.getProperty("service." + service + ".replicas", "0")),
                p.getProperty("service." + service + ".hash"),
                p.getProperty("service." + service + ".mode", "replicated")));
      } catch (NumberFormatException e) {
        LOG.debug("Ignoring a malformed state entry of {} in project {}", service, project);
      }
    }
    return services;
  }

  public Optional<ServiceRecord> service(String project, String service) {
    return Optional.ofNullable(read(project).get(service));
  }

  /** Replaces the whole record of the project. */
  public synchronized void write(String project, Map<String, ServiceRecord> services) {
    Properties p = new Properties();
    p.setProperty("services", String.join(",", services.keySet()));
    services.forEach(
        (name, record) -> {
          p.setProperty("service." + name + ".replicas", Integer.toString(record.replicas()));
          if (record.hash() != null) {
            p.setProperty("service." + name + ".hash", record.hash());
          }
          p.setProperty("service." + name + ".mode", record.mode());
        });
    Path target = file(project);
    try {
      Path dir = files.privateProjectDir(project);
      Path temp = dir.resolve("." + FILE + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        p.store(out, "Stackwright compose platform: last applied state of project " + project);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn(
          "Cannot record the state of project {} in {} ({}); status will rely on container labels",
          project,
          target,
          e.toString());
    }
  }

  /** Sets one service's replicas, keeping the rest. */
  public synchronized void updateReplicas(
      String project, String service, int replicas, String hash, String mode) {
    Map<String, ServiceRecord> services = new LinkedHashMap<>(read(project));
    ServiceRecord old = services.get(service);
    services.put(
        service,
        new ServiceRecord(
            replicas,
            old != null && old.hash() != null ? old.hash() : hash,
            old != null ? old.mode() : mode));
    write(project, services);
  }

  /** Records {@code service} as running {@code hash} from now on, keeping the other services. */
  public synchronized void recordService(String project, String service, ServiceRecord record) {
    Map<String, ServiceRecord> services = new LinkedHashMap<>(read(project));
    services.put(service, record);
    write(project, services);
  }
}
