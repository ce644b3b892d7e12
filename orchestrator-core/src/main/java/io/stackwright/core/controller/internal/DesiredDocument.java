package io.stackwright.core.controller.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.store.DesiredState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the store keeps of a desired state: the spec's hash, its images, the replica counts set
 * since it was deployed (by a scale job or the autoscaler), and the spec as {@link ResumableSpecs}
 * writes it (secret and config contents replaced by where to read them again and a keyed hash), so
 * that another process can resume a deploy whose submitter died. The process that accepted the spec
 * also keeps it in memory, by hash.
 *
 * @param replicas by service; they win over the spec's
 * @param spec the spec as {@link ResumableSpecs#encode} wrote it, or {@code null} (not resumable)
 */
public record DesiredDocument(
    String specHash, Map<String, String> images, Map<String, Integer> replicas, String spec) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public DesiredDocument {
    images = Map.copyOf(images);
    replicas = java.util.Collections.unmodifiableMap(new TreeMap<>(replicas));
  }

  /**
   * The document of {@code spec}, keeping the counts {@code previous} set for autoscaled services.
   */
  public static DesiredDocument of(
      StackSpec spec, Optional<DesiredDocument> previous, String hash, String stored) {
    Map<String, String> images = new LinkedHashMap<>();
    spec.services().values().forEach(s -> images.put(s.name(), s.image()));
    Map<String, Integer> replicas = new TreeMap<>();
    // The autoscaler owns the replica count of a scaled service: a deploy keeps its count.
    previous.ifPresent(
        p ->
            p.replicas()
                .forEach(
                    (service, count) -> {
                      ServiceSpec s = spec.services().get(service);
                      if (s != null && s.scaling().isEnabled()) {
                        replicas.put(service, count);
                      }
                    }));
    return new DesiredDocument(hash, images, replicas, stored);
  }

  public DesiredDocument withReplicas(String service, int count) {
    Map<String, Integer> next = new TreeMap<>(replicas);
    next.put(service, count);
    return new DesiredDocument(specHash, images, next, spec);
  }

  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("specHash", specHash);
    ObjectNode i = node.putObject("images");
    images.forEach(i::put);
    ObjectNode r = node.putObject("replicas");
    replicas.forEach(r::put);
    try {
      if (spec != null) {
        node.set("spec", JSON.readTree(spec));
      }
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a desired-state document", e);
    }
  }

  public static Optional<DesiredDocument> parse(DesiredState state) {
    try {
      JsonNode node = JSON.readTree(state.spec());
      if (!node.hasNonNull("specHash")) {
        return Optional.empty();
      }
      Map<String, String> images = new LinkedHashMap<>();
      node.path("images")
          .fields()
          .forEachRemaining(e -> images.put(e.getKey(), e.getValue().asText()));
      Map<String, Integer> replicas = new TreeMap<>();
      node.path("replicas")
          .fields()
          .forEachRemaining(e -> replicas.put(e.getKey(), e.getValue().asInt()));
      JsonNode spec = node.get("spec");
      return Optional.of(
          new DesiredDocument(
              node.get("specHash").asText(),
              images,
              replicas,
              spec == null || spec.isNull() ? null : spec.toString()));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
