package io.stackwright.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code stackwright version}: the CLI's and the library's versions, the JVM, and the engine's
 * version and API version (asked directly over the engine's socket, so no Docker client is loaded).
 * An engine that does not answer is reported, not fatal: exit 0 either way.
 */
@Command(
    name = "version",
    description = "Prints the versions of the CLI, the library, the JVM and the Docker engine.")
final class VersionCommand implements Callable<Integer> {
  @Mixin StackwrightCli.Common common;

  @Override
  public Integer call() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cli", artifactVersion("stackwright-cli"));
    json.put("library", artifactVersion("orchestrator-core"));
    json.put(
        "jvm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    String engineText;
    try {
      EngineVersion engine = EngineVersion.read(EngineVersion.host());
      json.put("engine", engine.version());
      json.put("engineApi", engine.apiVersion());
      json.put("engineHost", EngineVersion.host());
      engineText =
          engine.version() + " (API " + engine.apiVersion() + ") at " + EngineVersion.host();
    } catch (IOException | RuntimeException e) {
      json.put("engine", null);
      json.put("engineError", e.getMessage());
      engineText = "not reachable at " + EngineVersion.host() + ": " + e.getMessage();
    }
    common.print(
        json,
        "stackwright CLI "
            + json.get("cli")
            + "\nlibrary        "
            + json.get("library")
            + "\nJVM            "
            + json.get("jvm")
            + "\nengine         "
            + engineText);
    return StackwrightCli.OK;
  }

  /** The version the Maven build recorded in the jar (META-INF/maven/.../pom.properties). */
  static String artifactVersion(String artifactId) {
    String resource = "/META-INF/maven/io.stackwright/" + artifactId + "/pom.properties";
    try (InputStream in = VersionCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
