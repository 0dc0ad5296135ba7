package io.realtimegateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The objects {@code kubectl kustomize} renders from a directory of k8s/. */
record Manifests(List<JsonNode> objects) {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Whether kubectl can be run; the manifest tests are skipped without it. */
  static boolean kubectlInstalled() {
    try {
      Process process =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code kubectl kustomize <directory>}, offline: kustomize reads only local files. */
  static Manifests kustomize(Path directory) {
    try {
      Process process =
          new ProcessBuilder("kubectl", "kustomize", directory.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + directory + " failed");
      }
      return parse(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every document of a multi-document YAML stream. */
  static Manifests parse(String yaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      for (var documents = YAML.readValues(parser, JsonNode.class); documents.hasNext(); ) {
        JsonNode object = documents.next();
        if (object != null && !object.isEmpty()) {
          objects.add(object);
        }
      }
    }
    return new Manifests(List.copyOf(objects));
  }

  List<JsonNode> all(String kind) {
    return objects.stream().filter(object -> kind.equals(object.path("kind").asText())).toList();
  }

  /** The only object of a kind; fails when there is none or more than one. */
  JsonNode one(String kind) {
    List<JsonNode> matches = all(kind);
    if (matches.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + matches.size());
    }
    return matches.get(0);
  }

  JsonNode named(String kind, String name) {
    return all(kind).stream()
        .filter(object -> name.equals(object.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  /** The gateway's Deployment: the one whose pods run the realtime-gateway container. */
  JsonNode gateway() {
    List<JsonNode> matches =
        all("Deployment").stream()
            .filter(deployment -> gatewayContainer(deployment) != null)
            .toList();
    if (matches.size() != 1) {
      throw new AssertionError("expected one gateway Deployment, found " + matches.size());
    }
    return matches.get(0);
  }

  static JsonNode gatewayContainer(JsonNode deployment) {
    for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
      if ("realtime-gateway".equals(container.path("name").asText())) {
        return container;
      }
    }
    return null;
  }

  /** Whether every label of the selector is on the object with the same value. */
  static boolean selects(JsonNode matchLabels, JsonNode labels) {
    if (matchLabels == null || !matchLabels.isObject() || matchLabels.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> label : matchLabels.properties()) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
