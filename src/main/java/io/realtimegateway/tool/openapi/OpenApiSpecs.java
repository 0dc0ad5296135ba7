package io.realtimegateway.tool.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns an OpenAPI 3 spec (JSON) into functions, as Open WebUI offers a tool server's operations:
 * parameters from the path and query (and header) parameters plus the properties of the JSON
 * request body, local {@code $ref}s resolved. Pure.
 */
public final class OpenApiSpecs {

  // A plain logger: these helpers also run outside CDI beans (and in plain unit tests).
  private static final Logger LOG = Logger.getLogger(OpenApiSpecs.class);

  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  /** Deeper than this a schema is cut: specs in the wild nest a lot, but never this much. */
  private static final int MAX_DEPTH = 32;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenApiSpecs() {}

  /**
   * The operations of {@code spec}: paths in the spec's order, a path's methods in the order GET,
   * PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE; a second operation with a name already used is
   * left out with a warning.
   *
   * @param server names the server in warnings
   * @throws IllegalArgumentException when {@code spec} is not an OpenAPI spec (no {@code paths}
   *     object)
   */
  public static List<OpenApiOperation> operations(JsonNode spec, String server) {
    if (spec == null || !spec.isObject() || !spec.path("paths").isObject()) {
      throw new IllegalArgumentException("not an OpenAPI spec: no \"paths\" object");
    }
    Map<String, OpenApiOperation> byName = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> entry = paths.next();
      JsonNode item = resolve(entry.getValue(), spec, new HashSet<>(), 0);
      for (String method : METHODS) {
        JsonNode operation = item.path(method);
        if (!operation.isObject()) {
          continue;
        }
        OpenApiOperation parsed = operation(spec, entry.getKey(), method, item, operation);
        if (byName.putIfAbsent(parsed.name(), parsed) != null) {
          LOG.warnf(
              "tool server %s: %s %s left out, its name %s is already used",
              server, method.toUpperCase(Locale.ROOT), entry.getKey(), parsed.name());
        }
      }
    }
    return List.copyOf(byName.values());
  }

  private static OpenApiOperation operation(
      JsonNode spec, String path, String method, JsonNode item, JsonNode operation) {
    String name =
        sanitize(operation.path("operationId").asText(""))
            .orElseGet(
                () ->
                    sanitize((method + " " + path).replaceAll("[^A-Za-z0-9]+", "_"))
                        .orElse(method));
    String description = operation.path("summary").asText("");
    if (description.isBlank()) {
      description = operation.path("description").asText("");
    }

    ObjectNode properties = NODES.objectNode();
    Set<String> required = new LinkedHashSet<>();
    // Path-level parameters apply to every operation; the operation's own win on name and place.
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    for (JsonNode list : List.of(item.path("parameters"), operation.path("parameters"))) {
      for (JsonNode raw : list) {
        JsonNode parameter = resolve(raw, spec, new HashSet<>(), 0);
        String in = parameter.path("in").asText("");
        String parameterName = parameter.path("name").asText("");
        if (parameterName.isEmpty() || !Set.of("path", "query", "header").contains(in)) {
          continue; // cookies are never sent; a nameless parameter cannot be filled
        }
        declared.put(in + ":" + parameterName, parameter);
      }
    }
    List<OpenApiOperation.Parameter> parameters = new ArrayList<>();
    for (JsonNode parameter : declared.values()) {
      String parameterName = parameter.path("name").asText();
      String in = parameter.path("in").asText();
      JsonNode schema = parameter.path("schema");
      ObjectNode property =
          schema.isObject()
              ? (ObjectNode) schema.deepCopy()
              : NODES.objectNode().put("type", "string");
      if (!property.has("description") && parameter.path("description").isTextual()) {
        property.put("description", parameter.path("description").asText());
      }
      properties.set(parameterName, property);
      if (in.equals("path") || parameter.path("required").asBoolean(false)) {
        required.add(parameterName);
      }
      parameters.add(new OpenApiOperation.Parameter(parameterName, in));
    }

    OpenApiOperation.Body body = OpenApiOperation.Body.NONE;
    JsonNode requestBody = resolve(operation.path("requestBody"), spec, new HashSet<>(), 0);
    JsonNode schema = jsonSchema(requestBody.path("content"));
    if (schema != null) {
      boolean bodyRequired = requestBody.path("required").asBoolean(false);
      if (schema.path("properties").isObject()) {
        body = OpenApiOperation.Body.PROPERTIES;
        Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          properties.putIfAbsent(field.getKey(), field.getValue());
        }
        for (JsonNode field : schema.path("required")) {
          required.add(field.asText());
        }
      } else {
        body = OpenApiOperation.Body.WHOLE;
        properties.set("body", schema);
        if (bodyRequired) {
          required.add("body");
        }
      }
    }

    ObjectNode parametersSchema = NODES.objectNode().put("type", "object");
    parametersSchema.set("properties", properties);
    if (!required.isEmpty()) {
      ArrayNode list = parametersSchema.putArray("required");
      required.forEach(list::add);
    }
    ObjectNode functionSpec = NODES.objectNode().put("name", name).put("description", description);
    functionSpec.set("parameters", parametersSchema);
    return new OpenApiOperation(
        name, method.toUpperCase(Locale.ROOT), path, functionSpec, parameters, body);
  }

  /** The resolved schema of a JSON request body, or null when there is none. */
  private static JsonNode jsonSchema(JsonNode content) {
    if (!content.isObject()) {
      return null;
    }
    JsonNode media = content.path("application/json");
    if (!media.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> types = content.fields();
      while (types.hasNext() && !media.isObject()) {
        Map.Entry<String, JsonNode> type = types.next();
        if (type.getKey().toLowerCase(Locale.ROOT).endsWith("+json")) {
          media = type.getValue();
        }
      }
    }
    JsonNode schema = media.path("schema");
    // A form or binary body cannot be filled from JSON arguments: the operation goes without one.
    return schema.isObject() ? schema : null;
  }

  /**
   * A copy of {@code node} with every local {@code $ref} replaced by what it points to. A ref that
   * points back into itself, leaves the document, or points nowhere becomes an open schema, so a
   * recursive or sloppy spec still gives usable functions.
   */
  static JsonNode resolve(JsonNode node, JsonNode root, Set<String> seen, int depth) {
    if (depth > MAX_DEPTH) {
      return NODES.objectNode();
    }
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        String pointer = ref.asText();
        if (!pointer.startsWith("#") || seen.contains(pointer)) {
          return NODES.objectNode();
        }
        JsonNode target = root.at(pointer.substring(1));
        if (target.isMissingNode()) {
          return NODES.objectNode();
        }
        Set<String> inner = new HashSet<>(seen);
        inner.add(pointer);
        return resolve(target, root, inner, depth + 1);
      }
      ObjectNode copy = NODES.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), resolve(field.getValue(), root, seen, depth + 1));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(element -> copy.add(resolve(element, root, seen, depth + 1)));
      return copy;
    }
    return node;
  }

  /** A name OpenAI accepts, or empty when nothing of {@code raw} is left. */
  private static Optional<String> sanitize(String raw) {
    String name = raw.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }
}
