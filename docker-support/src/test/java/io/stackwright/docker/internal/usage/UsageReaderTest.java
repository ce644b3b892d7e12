package io.stackwright.docker.internal.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.docker.internal.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageReaderTest {
  private static final String ID = "a".repeat(64);
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @TempDir Path root;

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void cgroupV2FilesWithTheSystemdLayout() throws IOException {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
    Path dir = Files.createDirectories(root.resolve("system.slice/docker-" + ID + ".scope"));
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\n");
    Files.writeString(dir.resolve("memory.current"), "10000\n");
    Files.writeString(dir.resolve("memory.stat"), "anon 100\ninactive_file 4000\n");
    Files.writeString(dir.resolve("memory.max"), "max\n");
    LocalCgroups cgroups = LocalCgroups.at(root);
    assertThat(cgroups.version()).isEqualTo(2);
    assertThat(cgroups.read(ID, NOW)).contains(new ResourceUsage(NOW, 1_500_000, 6000, 0));
    assertThat(cgroups.read("not-an-id", NOW)).isEmpty();
    assertThat(cgroups.read("b".repeat(64), NOW)).isEmpty();
  }

  @Test
  void cgroupV1FilesWithTheCgroupfsLayout() throws IOException {
    Path cpu = Files.createDirectories(root.resolve("cpuacct/docker/" + ID));
    Path memory = Files.createDirectories(root.resolve("memory/docker/" + ID));
    Files.writeString(cpu.resolve("cpuacct.usage"), "777\n");
    Files.writeString(memory.resolve("memory.usage_in_bytes"), "9000\n");
    Files.writeString(memory.resolve("memory.stat"), "total_inactive_file 1000\n");
    Files.writeString(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    LocalCgroups cgroups = LocalCgroups.at(root);
    assertThat(cgroups.version()).isEqualTo(1);
    assertThat(cgroups.read(ID, NOW)).contains(new ResourceUsage(NOW, 777, 8000, 0));
    assertThat(LocalCgroups.at(root.resolve("nothing")).version()).isZero();
  }

  @Test
  void theReaderUsesLocalFilesAndNamesAReplicaWithoutContainer() throws IOException {
    Files.writeString(root.resolve("cgroup.controllers"), "");
    Path dir = Files.createDirectories(root.resolve("docker/" + ID));
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2\n");
    Files.writeString(dir.resolve("memory.current"), "50\n");
    Files.writeString(dir.resolve("memory.stat"), "inactive_file 10\n");
    Files.writeString(dir.resolve("memory.max"), "1000\n");
    PlatformContext context =
        new PlatformContext(
            CLOCK,
            executor,
            Map.of(PlatformContext.DOCKER_HOST, "tcp://127.0.0.1:1", UsageReader.SOURCE, "cgroup"));
    try (Engine engine = Engine.connect(context)) {
      UsageReader reader = new UsageReader(engine, context, LocalCgroups.at(root));
      assertThat(reader.read(replica(ID))).isEqualTo(new ResourceUsage(NOW, 2000, 40, 1000));
      assertThatThrownBy(() -> reader.read(replica("c".repeat(64))))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("no cgroup files for container");
      assertThatThrownBy(() -> reader.read(replica(null)))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("replica r1 has no container yet");
    }
  }

  @Test
  void theEnginesStatsDocumentCountsMemoryAsDockerStatsDoes() throws IOException {
    var stats =
        new ObjectMapper()
            .readTree(
                """
                {"cpu_stats": {"cpu_usage": {"total_usage": 123456}},
                 "memory_stats": {"usage": 5000, "limit": 8000, "stats": {"inactive_file": 1200}}}
                """);
    assertThat(UsageReader.fromStats(stats, CLOCK))
        .isEqualTo(new ResourceUsage(NOW, 123456, 3800, 8000));
  }

  private static TaskState replica(String containerId) {
    return new TaskState(
        "r1",
        "web",
        1,
        null,
        containerId,
        TaskStatus.RUNNING,
        TaskStatus.RUNNING,
        HealthStatus.NONE,
        true,
        null,
        null,
        NOW);
  }
}
