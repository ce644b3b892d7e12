package io.stackwright.it.rollout;

import static org.awaitility.Awaitility.await;

import io.stackwright.it.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * HAProxy from Debian (image {@code stackwright/haproxy:test}, see test-images/haproxy) in the data
 * path of a stack, the way Traefik would stand there: a container on the stack's network that finds
 * the replicas of each backend through Docker's DNS ({@code tasks.<service>} on Swarm, the service
 * alias on a single engine), health-checks them, and retries a request another replica refused or
 * dropped. Its runtime API (TCP, admin level) sets server weights.
 */
public final class HaproxyProxy implements AutoCloseable {
  static final String IMAGE = "stackwright/haproxy:test";
  private static final int SLOTS = 10;

  private final String container;
  private final Path config;
  private final int httpPort;
  private final int adminPort;

  private HaproxyProxy(String container, Path config, int httpPort, int adminPort) {
    this.container = container;
    this.config = config;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
  }

  /**
   * Starts a proxy on {@code network} whose one backend {@code web} holds a group of servers per
   * entry of {@code groups} (group name -> DNS name of its replicas), each weighted as given.
   */
  public static HaproxyProxy start(
      String name, String network, Map<String, String> groups, Map<String, Integer> weights) {
    Path config = writeConfig(groups, weights);
    Shell.docker("rm", "-f", name);
    Shell.Result run =
        Shell.docker(
            "run",
            "-d",
            "--name",
            name,
            "--network",
            network,
            "-v",
            config + ":/etc/haproxy/haproxy.cfg:ro",
            "-p",
            "127.0.0.1::8080",
            "-p",
            "127.0.0.1::9999",
            IMAGE);
    if (run.exitCode() != 0) {
      throw new IllegalStateException("cannot start HAProxy: " + run.all());
    }
    HaproxyProxy proxy = new HaproxyProxy(name, config, hostPort(name, 8080), hostPort(name, 9999));
    await("HAProxy " + name + " answers through some backend")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> proxy.get("/") == 200);
    return proxy;
  }

  /** One group of servers, {@code web}, resolving {@code dnsName}. */
  public static HaproxyProxy start(String name, String network, String dnsName) {
    return start(name, network, Map.of("web", dnsName), Map.of("web", 100));
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  /** Sends one command to HAProxy's runtime API and returns its answer. */
  public String runtime(String command) {
    try (Socket socket = new Socket("127.0.0.1", adminPort)) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("HAProxy runtime API: " + command, e);
    }
  }

  /** Sets the weight (0-256) of every server of the group {@code group}. */
  public void setGroupWeight(String group, int weight) {
    for (int slot = 1; slot <= SLOTS; slot++) {
      String answer = runtime("set weight web/" + group + slot + " " + weight);
      if (!answer.isBlank()) {
        throw new IllegalStateException("set weight " + group + ": " + answer.strip());
      }
    }
  }

  /** The status code of one GET through the proxy, or -1 when it failed. */
  int get(String path) {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri(path).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(3000);
      int code = connection.getResponseCode();
      connection.disconnect();
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    Shell.docker("rm", "-f", container);
    try {
      Files.deleteIfExists(config);
    } catch (IOException e) {
      // a temporary file; the OS cleans it up
    }
  }

  private static int hostPort(String container, int port) {
    String out = Shell.docker("port", container, port + "/tcp").out().strip();
    return Integer.parseInt(out.lines().findFirst().orElseThrow().replaceAll(".*:", ""));
  }

  static String config(Map<String, String> groups, Map<String, Integer> weights) {
    String servers =
        groups.entrySet().stream()
            .map(
                g ->
                    String.format(
                        "  server-template %s %d %s:8080 check weight %d\n",
                        g.getKey(), SLOTS, g.getValue(), weights.getOrDefault(g.getKey(), 100)))
            .collect(Collectors.joining());
    String backend =
        "  default_backend web\n"
            + "backend web\n"
            + "  balance roundrobin\n"
            + "  option httpchk GET /health\n"
            + "  http-check expect status 200\n"
            + servers;
    return String.join(
        "\n",
        List.of(
            "global",
            "  stats socket ipv4@0.0.0.0:9999 level admin",
            "resolvers docker",
            "  nameserver dns 127.0.0.11:53",
            "  resolve_retries 3",
            "  timeout resolve 500ms",
            "  timeout retry 500ms",
            "  hold valid 1s",
            "  hold other 1s",
            "  hold refused 1s",
            "  hold nx 1s",
            "  hold timeout 1s",
            "  hold obsolete 1s",
            "  accepted_payload_size 8192",
            "defaults",
            "  mode http",
            "  timeout connect 1s",
            "  timeout client 10s",
            "  timeout server 5s",
            "  retries 3",
            "  option redispatch 1",
            "  retry-on conn-failure empty-response response-timeout 502 503 504",
            "  default-server init-addr none inter 500ms fall 2 rise 1 resolvers docker"
                + " resolve-prefer ipv4",
            "frontend fe",
            "  bind :8080",
            backend));
  }

  private static Path writeConfig(Map<String, String> groups, Map<String, Integer> weights) {
    try {
      Path file =
          Files.createTempFile(
              "stackwright-haproxy",
              ".cfg",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
      Files.writeString(file, config(groups, weights));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
