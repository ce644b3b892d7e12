package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard finds a registered value in a module's test reports as is, in base64 (at every byte
 * alignment inside a longer base64 text) and in hex; a clean tree passes; nothing it reports spells
 * the value.
 */
class SecretGuardTest {
  @TempDir Path repository;
  private Path module;
  private String previous;

  @BeforeEach
  void registerIntoATemporaryModule() {
    module = repository.resolve("adapter-x");
    previous = System.getProperty(SecretGuard.FILE_PROPERTY);
    System.setProperty(
        SecretGuard.FILE_PROPERTY, module.resolve(SecretGuard.DEFAULT_FILE).toString());
  }

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty(SecretGuard.FILE_PROPERTY);
    } else {
      System.setProperty(SecretGuard.FILE_PROPERTY, previous);
    }
  }

  private Path report(String dir, String name, String text) throws Exception {
    Path file = module.resolve("target").resolve(dir).resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aValuePrintedAsIsIsFoundWithItsFileLineAndPurpose() throws Exception {
    String value = SecretGuard.secret("db-password");
    assertThat(value).startsWith("db-password-").hasSize("db-password-".length() + 24);
    Path file =
        report(
            "surefire-reports",
            "io.example.FooTest-output.txt",
            "starting\nconnecting\n12:00:01 DEBUG password=" + value + " user=app\ndone\n");

    List<SecretGuard.Hit> hits = SecretGuard.scan(List.of(repository));

    assertThat(hits).containsExactly(new SecretGuard.Hit(file, 3, "db-password", "as is"));
    assertThat(hits.get(0).toString())
        .contains("io.example.FooTest-output.txt:3")
        .contains("db-password")
        .doesNotContain(value)
        .doesNotContain(value.substring("db-password-".length()));
  }

  @Test
  void aValueInBase64IsFoundAtEveryAlignmentOfALongerBase64Text() throws Exception {
    String value = SecretGuard.secret("token");
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    // Swarm's POST /secrets/create body, as a wire log prints it
    String body =
        "{\"Name\":\"shop_token\",\"Data\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
    report("failsafe-reports", "io.example.WireIT-output.txt", "POST /secrets/create\n" + body);
    for (String prefix : List.of("a", "ab")) {
      byte[] framed = (prefix + value + "\n").getBytes(StandardCharsets.UTF_8);
      report(
          "failsafe-reports",
          "shift-" + prefix.length() + ".txt",
          "data: " + Base64.getEncoder().encodeToString(framed) + "\n");
    }
    report("failsafe-reports", "hex.txt", "bytes " + HexFormat.of().formatHex(bytes));

    List<SecretGuard.Hit> hits = SecretGuard.scan(List.of(repository));

    assertThat(hits)
        .extracting(
            h -> h.file().getFileName() + ":" + h.line() + " " + h.purpose() + " " + h.form())
        .containsExactly(
            "hex.txt:1 token hex",
            "io.example.WireIT-output.txt:2 token base64",
            "shift-1.txt:1 token base64",
            "shift-2.txt:1 token base64");
    String encoded = Base64.getEncoder().encodeToString(bytes);
    assertThat(hits.toString()).doesNotContain(value).doesNotContain(encoded.substring(0, 12));
  }

  @Test
  void aValueWithANewlineSpansLinesAndIsFoundAtItsFirst() throws Exception {
    SecretGuard.register("pem", "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----\n");
    report(
        "surefire-reports",
        "TEST-io.example.KeyTest.xml",
        "<testcase>\n<system-out>key: -----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----\n"
            + "</system-out>");

    assertThat(SecretGuard.scan(List.of(repository)))
        .extracting(h -> h.line() + " " + h.purpose())
        .containsExactly("2 pem");
  }

  @Test
  void aCleanTreePassesAndSaysHowMuchItChecked() throws Exception {
    SecretGuard.secret("api-key");
    report("surefire-reports", "TEST-io.example.FooTest.xml", "<testsuite tests=\"3\"/>");
    report("failsafe-reports", "io.example.BarIT.txt", "Tests run: 2, Failures: 0");
    Files.createDirectories(repository.resolve("target/test-logs"));
    Files.writeString(repository.resolve("target/test-logs/modules.log"), "[INFO] BUILD SUCCESS");
    // not a test output: a source holding the value is no hit
    Path source = module.resolve("src/test/resources/token.txt");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "unrelated");

    SecretGuard.Report report = SecretGuard.check(List.of(repository));

    assertThat(report.hits()).isEmpty();
    assertThat(report.values()).isEqualTo(1);
    assertThat(report.files()).isEqualTo(3);
  }

  @Test
  void theVerdictFailsOnAHitWithoutPrintingTheValue() throws Exception {
    String value = SecretGuard.secret("leaked");
    Files.createDirectories(repository.resolve("target/test-logs"));
    Files.writeString(
        repository.resolve("target/test-logs/integration-tests.log"),
        "[INFO] Running x\n[ERROR] expected: " + value + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = SecretGuard.verdict(List.of(repository), new PrintStream(out, true, "UTF-8"));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isEqualTo(1);
    assertThat(printed)
        .contains("FAILED")
        .contains("integration-tests.log:2")
        .contains("'leaked'")
        .contains("1 registered secret values in 1 test output files")
        .doesNotContain(value);

    Files.writeString(repository.resolve("target/test-logs/integration-tests.log"), "clean\n");
    out.reset();
    assertThat(SecretGuard.verdict(List.of(repository), new PrintStream(out, true, "UTF-8")))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK");
  }

  @Test
  void capturedTextWithARegisteredValueFailsTheTestWithoutSpellingIt() {
    String value = SecretGuard.secret("cli-token");
    SecretGuard.assertNoSecretIn("deployed shop: 2 services\n", "the output of deploy");

    assertThatThrownBy(
            () -> SecretGuard.assertNoSecretIn("ok\nrotated to " + value, "the output of rotate"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the output of rotate")
        .hasMessageContaining("'cli-token'")
        .hasMessageContaining("line 2")
        .message()
        .doesNotContain(value);
    String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SecretGuard.assertNoSecretIn("{\"Data\":\"" + base64 + "\"}", "a log"))
        .hasMessageContaining("base64")
        .message()
        .doesNotContain(base64);
  }

  @Test
  void describeNamesARegisteredValueByItsPurposeOnly() {
    String value = SecretGuard.secret("rotated");
    assertThat(SecretGuard.describe(value)).isEqualTo("secret 'rotated'");
    assertThat(SecretGuard.describe("something else")).isEqualTo("no registered secret (14 chars)");
  }

  @Test
  void aValueTooShortToTellFromOrdinaryTextIsRefused() {
    assertThatThrownBy(() -> SecretGuard.register("pin", "1234"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pin")
        .message()
        .doesNotContain("1234");
  }

  @Test
  void jvmsAndThreadsAppendingAtOnceEachWriteWholeLines() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      values.add(pool.submit(() -> SecretGuard.secret("parallel-" + n)));
    }
    pool.shutdown();
    for (Future<String> value : values) {
      value.get();
    }
    List<String> lines = Files.readAllLines(module.resolve(SecretGuard.DEFAULT_FILE));
    assertThat(lines).hasSize(200).allMatch(line -> line.matches("[A-Za-z0-9+/=]+\tparallel-\\d+"));
    for (Future<String> value : values) {
      String encoded =
          Base64.getEncoder().encodeToString(value.get().getBytes(StandardCharsets.UTF_8));
      assertThat(lines).anyMatch(line -> line.startsWith(encoded + "\t"));
    }
  }
}
