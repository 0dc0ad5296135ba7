package io.realtimegateway.tool.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs into functions: references, recursion, names, bodies (the rest runs against the fake). */
class OpenApiSpecsTest {

  @Test
  void resolvesRefsCutsRecursionAndNamesOperationsWithoutAnId() throws Exception {
    // Node's child is Node again: the recurrence becomes an open schema.
    String spec =
        "{'paths': {'/trees/{id}/nodes': {'put': {'parameters': [{'$ref':"
            + " '#/components/parameters/Id'}, {'name': 's', 'in': 'cookie'}], 'requestBody':"
            + " {'content': {'application/json': {'schema': {'$ref': '#/components/schemas/Node'}}}}},"
            + " 'get': {'operationId': 'list nodes!', 'requestBody': {'content':"
            + " {'application/vnd.api+json': {'schema': {'type': 'array', 'items': {'$ref':"
            + " '#/nowhere'}}}}}}}}, 'components': {'parameters': {'Id': {'name': 'id', 'in':"
            + " 'path', 'schema': {'type': 'integer'}}}, 'schemas': {'Node': {'type': 'object',"
            + " 'properties': {'child': {'$ref': '#/components/schemas/Node'}}}}}}";
    List<OpenApiOperation> operations =
        OpenApiSpecs.operations(new ObjectMapper().readTree(spec.replace('\'', '"')), "t");

    assertThat(operations)
        .extracting(OpenApiOperation::name)
        .containsExactly("list_nodes", "put_trees_id_nodes");
    OpenApiOperation put = operations.get(1);
    assertThat(put.parameters()).containsExactly(new OpenApiOperation.Parameter("id", "path"));
    assertThat(put.body()).isEqualTo(OpenApiOperation.Body.PROPERTIES);
    assertThat(put.spec().path("parameters").toString())
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"child\":{}},"
                + "\"required\":[\"id\"]}");
    OpenApiOperation get = operations.get(0);
    assertThat(get.body()).isEqualTo(OpenApiOperation.Body.WHOLE);
    assertThat(get.spec().path("parameters").path("properties").path("body").toString())
        .isEqualTo("{\"type\":\"array\",\"items\":{}}");
  }
}
