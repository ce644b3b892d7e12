package io.stackwright.core.controller.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.FileContent;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.LeaseGrant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Specs as the store may hold them, so that a process that did not accept a deploy can rebuild it
 * when its submitter died. A secret's or config's content is replaced by where it was read from (a
 * file, an environment variable) and a keyed hash of it (HMAC-SHA256 with a key kept in the store,
 * never a bare hash, which would let anyone who reads the store test guesses of a short secret).
 * Rebuilding reads the contents again and refuses, naming the secret but never its value, when one
 * is gone, differs, or was given inline. A config given inline is not secret: it is kept as is.
 */
public final class ResumableSpecs {
  /** Where the key lives: not a stack's namespace, and a key no stack name can own. */
  static final String NAMESPACE = "store-keys";

  static final String KEY = "~spec-hmac";
  private static final String INIT_LEASE = "~spec-hmac-init";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] key;
  private final Function<String, String> environment;

  private ResumableSpecs(byte[] key, Function<String, String> environment) {
    this.key = key;
    this.environment = environment;
  }

  /**
   * The store's spec key, created by the first process that needs it (processes opening a shared
   * store at once take turns through a lease, so all use one key).
   */
  public static ResumableSpecs open(Store store, String holder) {
    return open(store, holder, System::getenv);
  }

  static ResumableSpecs open(Store store, String holder, Function<String, String> environment) {
    for (int tries = 0; ; tries++) {
      Optional<String> stored = store.documents().get(NAMESPACE, KEY);
      if (stored.isPresent()) {
        return new ResumableSpecs(Base64.getDecoder().decode(stored.get()), environment);
      }
      Optional<LeaseGrant> turn =
          store.leases().tryAcquire(INIT_LEASE, null, holder, Duration.ofSeconds(10));
      if (turn.isPresent()) {
        try {
          if (store.documents().get(NAMESPACE, KEY).isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            store.documents().put(NAMESPACE, KEY, Base64.getEncoder().encodeToString(fresh));
          }
        } finally {
          store.leases().release(turn.get());
        }
      } else if (tries > 200) {
        throw new OrchestratorException(
            "cannot read the store's spec key: lease " + INIT_LEASE + " stays taken");
      } else {
        try {
          Thread.sleep(25); // another process creates the key right now
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OrchestratorException("interrupted reading the store's spec key", e);
        }
      }
    }
  }

  /** The keyed hash of {@code bytes}, in hex. */
  public String hmac(byte[] bytes) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /** The spec's hash as the store keeps it (keyed: see {@link SpecHash}). */
  public String hash(StackSpec spec) {
    return SpecHash.of(spec, this::hmac);
  }

  /** The spec as the store may hold it: every content replaced by its origin and keyed hash. */
  public String encode(StackSpec spec) {
    return SpecCodec.encode(spec, this::writeContent).toString();
  }

  private JsonNode writeContent(String path, FileContent content) {
    ObjectNode node = JSON.createObjectNode();
    node.put("sensitive", content.sensitive());
    node.put("size", content.size());
    node.put("hmac", hmac(content.bytes()));
    if (content.origin().isPresent()) {
      ObjectNode origin = node.putObject("origin");
      origin.put("kind", content.origin().get().kind().name());
      origin.put("where", content.origin().get().where());
    } else if (!content.sensitive()) {
      node.put("inline", Base64.getEncoder().encodeToString(content.bytes()));
    }
    return node;
  }

  /**
   * Rebuilds a spec {@link #encode} wrote, reading every content again.
   *
   * @throws OrchestratorException naming the secret or config that cannot be read again, or that
   *     differs from what was submitted (never its value)
   */
  public StackSpec decode(String stored) {
    try {
      return SpecCodec.decode(JSON.readTree(stored), this::readContent);
    } catch (JsonProcessingException e) {
      throw new OrchestratorException("the stored spec is no JSON: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new OrchestratorException("the stored spec cannot be read: " + e.getMessage());
    }
  }

  private FileContent readContent(String path, JsonNode node) {
    String what = describe(path);
    boolean sensitive = node.path("sensitive").asBoolean(true);
    JsonNode origin = node.get("origin");
    byte[] bytes;
    String from;
    if (origin == null || origin.isNull()) {
      if (sensitive || !node.hasNonNull("inline")) {
        throw new OrchestratorException(
            what
                + " was given inline, not read from a file or an environment variable, so no"
                + " other process can read it again");
      }
      bytes = Base64.getDecoder().decode(node.get("inline").asText());
      from = "its inline content";
    } else {
      FileContent.Origin where =
          new FileContent.Origin(
              FileContent.Origin.Kind.valueOf(origin.path("kind").asText()),
              origin.path("where").asText());
      from = where.toString();
      bytes = read(what, where);
    }
    String expected = node.path("hmac").asText();
    if (!MessageDigest.isEqual(
        hmac(bytes).getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII))) {
      throw new OrchestratorException(
          what + ": " + from + " differs from the content the deploy was submitted with");
    }
    FileContent content = sensitive ? FileContent.secret(bytes) : FileContent.plain(bytes);
    return origin == null || origin.isNull()
        ? content
        : content.withOrigin(
            new FileContent.Origin(
                FileContent.Origin.Kind.valueOf(origin.path("kind").asText()),
                origin.path("where").asText()));
  }

  private byte[] read(String what, FileContent.Origin where) {
    if (where.kind() == FileContent.Origin.Kind.ENVIRONMENT) {
      String value = environment.apply(where.where());
      if (value == null) {
        throw new OrchestratorException(what + ": " + where + " is not set in this process");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readAllBytes(Path.of(where.where()));
    } catch (NoSuchFileException e) {
      throw new OrchestratorException(what + ": " + where + " is gone");
    } catch (IOException e) {
      throw new OrchestratorException(
          what + ": " + where + " cannot be read: " + e.getClass().getSimpleName());
    }
  }

  /** {@code secrets.db.content} is "secret db"; {@code configs.web.content} is "config web". */
  private static String describe(String path) {
    String[] parts = path.split("\\.");
    if (parts.length >= 2 && parts[0].equals("secrets")) {
      return "secret " + parts[1];
    }
    if (parts.length >= 2 && parts[0].equals("configs")) {
      return "config " + parts[1];
    }
    return "content at " + path;
  }
}
