package io.realtimegateway.tool.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.realtimegateway.tool.ToolServerConnection;
import io.smallrye.mutiny.Uni;

/** One operation of an OpenAPI tool server, called over HTTP. */
final class OpenApiTool implements Tool {

  private final ToolServerConnection connection;
  private final OpenApiOperation operation;
  private final OpenApiClient client;

  OpenApiTool(ToolServerConnection connection, OpenApiOperation operation, OpenApiClient client) {
    this.connection = connection;
    this.operation = operation;
    this.client = client;
  }

  @Override
  public String name() {
    return operation.name();
  }

  @Override
  public ObjectNode spec() {
    return operation.spec().deepCopy();
  }

  @Override
  public Uni<ToolResult> call(ObjectNode arguments) {
    return client.call(connection, operation, arguments);
  }

  @Override
  public String origin() {
    return connection.name();
  }

  @Override
  public String toString() {
    return operation.name() + " of server:" + connection.index() + " (" + connection.name() + ")";
  }
}
