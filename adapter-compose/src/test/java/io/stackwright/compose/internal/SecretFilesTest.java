package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.compose.internal.SecretFiles.FileMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
  @TempDir Path root;

  private StackSpec stack(String secret) {
    return StackSpec.builder("shop")
        .secret(SecretSpec.of("key", FileContent.secret(secret)))
        .config(ConfigSpec.of("conf", FileContent.plain("x=1\n")))
        .service(
            ServiceSpec.builder("web", "img")
                .secret("key")
                .secret(new FileReference("key", "tls/key.pem", null, null, 0400))
                .config(FileReference.of("conf"))
                .config("conf", "etc/app.conf")
                .build())
        .build();
  }

  @Test
  void targetsFollowComposesDefaults() {
    assertThat(SecretFiles.secretTarget(FileReference.of("key"))).isEqualTo("/run/secrets/key");
    assertThat(SecretFiles.secretTarget(new FileReference("key", "tls/k", null, null, null)))
        .isEqualTo("/run/secrets/tls/k");
    assertThat(SecretFiles.secretTarget(new FileReference("key", "/etc/k", null, null, null)))
        .isEqualTo("/etc/k");
    assertThat(SecretFiles.configTarget(FileReference.of("conf"))).isEqualTo("/conf");
    assertThat(SecretFiles.configTarget(new FileReference("conf", "etc/a", null, null, null)))
        .isEqualTo("/etc/a");
  }

  @Test
  void writesPrivateFilesWithTheReferencesModesAndNoticesChanges() throws Exception {
    SecretFiles files = new SecretFiles(root);
    StackSpec stack = stack("hunter2");
    List<FileMount> mounts = files.mounts(stack, stack.service("web"));
    assertThat(mounts)
        .extracting(FileMount::target)
        .containsExactly("/run/secrets/key", "/run/secrets/tls/key.pem", "/conf", "/etc/app.conf");
    assertThat(mounts.toString()).doesNotContain("hunter2");
    assertThat(mounts).noneMatch(files::upToDate);
    mounts.forEach(files::write);
    assertThat(mounts).allMatch(files::upToDate);
    assertThat(Files.readString(mounts.get(0).hostPath())).isEqualTo("hunter2");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(mounts.get(0).hostPath())))
        .isEqualTo("r--------");
    // a config is no secret: compose's default 0444 (inside the private directory)
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(mounts.get(2).hostPath())))
        .isEqualTo("r--r--r--");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(mounts.get(1).hostPath())))
        .isEqualTo("r--------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(files.projectDir("shop"))))
        .isEqualTo("rwx------");
    assertThat(files.keys("shop", "secret")).containsExactly("key");

    StackSpec rotated = stack("hunter3");
    List<FileMount> changed = files.mounts(rotated, rotated.service("web"));
    assertThat(files.upToDate(changed.get(0))).isFalse();
    assertThat(files.upToDate(changed.get(2))).isTrue();

    assertThat(files.deleteProject("shop")).isTrue();
    assertThat(files.projectDir("shop")).doesNotExist();
    assertThat(files.deleteProject("shop")).isFalse();
  }

  @Test
  void aSecretIsOwnedByTheServicesNumericUserSoOnlyThatUserReadsIt() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    StackSpec stack =
        StackSpec.builder("shop")
            .secret(SecretSpec.of("key", FileContent.secret("hunter2")))
            .service(ServiceSpec.builder("web", "img").user("1000:1000").secret("key").build())
            .build();
    SecretFiles files = new SecretFiles(root);
    FileMount mount = files.mounts(stack, stack.service("web")).get(0);
    files.write(mount);
    assertThat(Files.getAttribute(mount.hostPath(), "unix:uid")).isEqualTo(1000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mount.hostPath())))
        .isEqualTo("r--------");
  }

  @Test
  void refusesAStateDirectoryAnotherUserCouldWriteOrALinkToOne() throws Exception {
    StackSpec stack = stack("hunter2");
    Path open = Files.createDirectory(root.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    SecretFiles openFiles = new SecretFiles(open);
    FileMount mount = openFiles.mounts(stack, stack.service("web")).get(0);
    assertThatThrownBy(() -> openFiles.write(mount))
        .hasMessageContaining("refusing the state directory " + open)
        .hasMessageContaining("writable by its group or by others")
        .hasMessageNotContaining("hunter2");
    assertThat(mount.hostPath()).doesNotExist();

    Path link =
        Files.createSymbolicLink(root.resolve("link"), Files.createDirectory(root.resolve("real")));
    SecretFiles linked = new SecretFiles(link);
    FileMount viaLink = linked.mounts(stack, stack.service("web")).get(0);
    assertThatThrownBy(() -> linked.write(viaLink)).hasMessageContaining("is a symbolic link");
    assertThatThrownBy(() -> new ProjectState(linked).read("shop"))
        .hasMessageContaining("is a symbolic link");
    try (var planted = Files.list(root.resolve("real"))) {
      assertThat(planted).isEmpty();
    }
  }

  @Test
  void projectStateRoundTrips() {
    ProjectState state = new ProjectState(new SecretFiles(root));
    assertThat(state.read("shop")).isEmpty();
    state.write("shop", Map.of("web", new ProjectState.ServiceRecord(2, "h", "replicated")));
    state.updateReplicas("shop", "web", 5, "other", "replicated");
    assertThat(state.read("shop"))
        .containsEntry("web", new ProjectState.ServiceRecord(5, "h", "replicated"));
  }
}
