package io.realtimegateway.tool.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolProvider;
import io.realtimegateway.tool.ToolServerConnection;
import io.realtimegateway.tool.ToolServerConnections;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools of the MCP servers of {@code TOOL_SERVER_CONNECTIONS} (entries of {@code type: "mcp"},
 * whose {@code url} is the streamable-HTTP endpoint), selected with Open WebUI's tool id {@code
 * server:mcp:<info.id>}.
 *
 * <p>Each server is reached with the official MCP Java SDK's async client; {@code auth_type:
 * bearer} sends {@code Authorization: Bearer <key>}. Tool lists are read at start-up, every {@code
 * gateway.tools.refresh-interval}, and on request when the last one is older or missing. A tool is
 * offered as {@code <info.id>_<tool name>}, Open WebUI's name for it, with the tool's description
 * and input schema as its parameters. A server that cannot be reached gives no tools, with one
 * warning per outage, and is asked again by the next refresh, or on request at most every 5 s;
 * start-up never waits for a server.
 *
 * <p>A call fails (its {@code Uni} fails with a message that says why) when the server does not
 * answer within {@code gateway.tools.call-timeout}, answers with a JSON-RPC error, or cannot be
 * reached or drops the connection during the call; in the last case the session is dropped and the
 * next call opens a new one. A result flagged {@code isError} is a result, not a failure.
 *
 * <p>Threads: nothing blocks; the SDK runs on its own HTTP client's threads, and a {@code Uni} of
 * this provider completes there, so a caller that owns a Vert.x context hops back to it.
 *
 * <p>Cancelling a call's subscription releases the caller at once and disposes the SDK's request,
 * but SDK 2.1.0 neither sends MCP's {@code notifications/cancelled} nor closes the request's HTTP
 * stream, so the server runs the tool to its end and its late answer is dropped.
 *
 * <p>Native executable: the SDK's mapper reads and writes MCP's JSON as the records nested in
 * {@link McpSchema}, through reflection, and the SDK ships no native-image configuration, so they
 * are registered here (all nested types: the JSON-RPC envelopes, results, content parts). The
 * mapper and the schema validator are handed to the SDK's builders: left out, the SDK would look
 * them up with {@code ServiceLoader}, which finds nothing in a Quarkus native executable.
 */
@ApplicationScoped
@RegisterForReflection(targets = McpSchema.class, ignoreNested = false)
public class McpToolServers implements ToolProvider {

  /** The prefix of the tool ids this provider serves. */
  public static final String TOOL_ID_PREFIX = "server:mcp:";

  /**
   * The mapper the SDK reads and writes MCP's JSON with: a plain one, as the SDK's own Jackson 2
   * default, so Quarkus' settings for its HTTP APIs do not change the protocol's JSON.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, McpToolServer> servers = new LinkedHashMap<>();

  @Inject
  public McpToolServers(GatewayConfig config) {
    this(
        config.tools(),
        ToolServerConnections.parse(config.tools().serverConnections().orElse(null)));
  }

  /** The MCP entries of {@code connections} become servers; the others are not this provider's. */
  McpToolServers(GatewayConfig.Tools config, List<ToolServerConnection> connections) {
    // Made for the first MCP entry only: the schema validator's classes take a noticeable part of
    // start-up (BENCHMARKS.md, profiling log), and most gateways have no MCP connection.
    JacksonMcpJsonMapper sdkMapper = null;
    DefaultJsonSchemaValidator validator = null;
    for (ToolServerConnection connection : connections) {
      if (!connection.isMcp()) {
        continue;
      }
      if (validator == null) {
        sdkMapper = new JacksonMcpJsonMapper(MAPPER);
        validator = new DefaultJsonSchemaValidator(MAPPER);
      }
      if (servers.containsKey(connection.id())) {
        Log.warnf(
            "TOOL_SERVER_CONNECTIONS entry %d: MCP id %s is already used, entry skipped",
            connection.index(), connection.id());
        continue;
      }
      servers.put(
          connection.id(),
          new McpToolServer(
              connection,
              MAPPER,
              sdkMapper,
              validator,
              config.callTimeout(),
              config.refreshInterval()));
    }
  }

  @Override
  public Uni<List<Tool>> tools(List<String> toolIds) {
    List<Uni<List<Tool>>> listings = new ArrayList<>();
    toolIds.stream()
        .filter(id -> id.startsWith(TOOL_ID_PREFIX))
        .map(id -> id.substring(TOOL_ID_PREFIX.length()))
        .distinct()
        .forEach(
            id -> {
              McpToolServer server = servers.get(id);
              if (server == null) {
                Log.debugf("tool id %s%s names no MCP connection, ignored", TOOL_ID_PREFIX, id);
              } else {
                listings.add(server.tools());
              }
            });
    if (listings.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return Uni.join().all(listings).andFailFast().map(McpToolServers::uniqueByName);
  }

  /** Reads every server's tool list again; a server that fails keeps no tools until it answers. */
  @Scheduled(
      identity = "mcp-tool-refresh",
      every = "${gateway.tools.refresh-interval:5m}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    if (servers.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.join()
        .all(servers.values().stream().map(McpToolServer::refresh).toList())
        .andFailFast()
        .replaceWithVoid();
  }

  @PreDestroy
  void close() {
    servers.values().forEach(McpToolServer::close);
  }

  /**
   * Two servers can make one name ({@code a} with tool {@code b_c}, {@code a_b} with tool {@code
   * c}); the model could not tell them apart, so the first one keeps it.
   */
  private static List<Tool> uniqueByName(List<List<Tool>> listings) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    listings.stream()
        .flatMap(Collection::stream)
        .forEach(
            tool -> {
              Tool kept = byName.putIfAbsent(tool.name(), tool);
              if (kept != null) {
                Log.warnf(
                    "MCP tool name %s of %s is also one of %s, left out",
                    tool.name(), tool.origin(), kept.origin());
              }
            });
    return List.copyOf(byName.values());
  }
}
