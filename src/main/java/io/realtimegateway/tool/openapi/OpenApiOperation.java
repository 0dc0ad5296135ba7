package io.realtimegateway.tool.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One operation of an OpenAPI spec, as a function the model may call and as what the call sends.
 *
 * @param name the function name: the {@code operationId}, else method and path, sanitized to
 *     OpenAI's {@code [A-Za-z0-9_-]{1,64}}
 * @param method the HTTP method, upper case
 * @param path the path template, e.g. {@code /items/{id}}
 * @param spec the OpenAI function spec {@code {"name", "description", "parameters"}}
 * @param parameters where each non-body argument goes
 * @param body how the JSON request body is made from the arguments
 */
public record OpenApiOperation(
    String name,
    String method,
    String path,
    ObjectNode spec,
    List<Parameter> parameters,
    Body body) {

  public OpenApiOperation {
    parameters = List.copyOf(parameters);
  }

  /**
   * A path, query or header parameter.
   *
   * @param name the argument's name, as in the spec
   * @param in {@code path}, {@code query} or {@code header}
   */
  public record Parameter(String name, String in) {}

  /** How the arguments become the request body. */
  public enum Body {
    /** No request body. */
    NONE,
    /** A JSON object: every argument that is not a parameter (its properties were merged). */
    PROPERTIES,
    /** Whatever the {@code body} argument holds (a body schema that is not an object). */
    WHOLE
  }
}
