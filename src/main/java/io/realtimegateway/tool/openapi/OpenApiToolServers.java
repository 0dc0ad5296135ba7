package io.realtimegateway.tool.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolProvider;
import io.realtimegateway.tool.ToolServerConnection;
import io.realtimegateway.tool.ToolServerConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI tool servers of {@code TOOL_SERVER_CONNECTIONS}, selected as {@code server:<idx>}.
 * Their specs are read at start-up and every {@code gateway.tools.refresh-interval}; a server whose
 * spec cannot be read keeps the tools it had (their calls fail if it is really gone), one that was
 * never read is tried again when a request selects it. A spec that does not parse is skipped with a
 * warning naming the server.
 */
@ApplicationScoped
public class OpenApiToolServers implements ToolProvider {

  private static final String PREFIX = "server:";

  private final Map<Integer, ToolServerConnection> servers;
  private final Map<Integer, List<Tool>> tools = new ConcurrentHashMap<>();
  private final OpenApiClient client;

  public OpenApiToolServers(GatewayConfig config, ObjectMapper json, Vertx vertx) {
    GatewayConfig.Tools settings = config.tools();
    Map<Integer, ToolServerConnection> openApi = new LinkedHashMap<>();
    for (ToolServerConnection connection :
        ToolServerConnections.parse(settings.serverConnections().orElse(null))) {
      if (!connection.isMcp()) {
        openApi.put(connection.index(), connection);
      }
    }
    this.servers = Map.copyOf(openApi);
    // A result may carry images (data URIs) up to the file limit besides the text the model
    // reads; anything beyond a few results' worth of that is not worth holding in memory.
    long maxAnswer =
        4 * settings.maxResultSize().asLongValue() + settings.maxFileSize().asLongValue();
    this.client = new OpenApiClient(vertx, json, settings.callTimeout(), maxAnswer);
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** The OpenAPI connections, by their index in {@code TOOL_SERVER_CONNECTIONS}. */
  public Map<Integer, ToolServerConnection> servers() {
    return servers;
  }

  @Scheduled(
      identity = "tool-servers-refresh",
      every = "${gateway.tools.refresh-interval:5m}",
      concurrentExecution = ConcurrentExecution.SKIP)
  Uni<Void> refreshOnSchedule() {
    return refresh();
  }

  /**
   * Reads every server's spec again. Never fails: each server's failure is logged and leaves its
   * tools as they were.
   */
  public Uni<Void> refresh() {
    if (servers.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Uni<List<Tool>>> loads = new ArrayList<>();
    servers.values().forEach(server -> loads.add(load(server)));
    return Uni.join().all(loads).andCollectFailures().replaceWithVoid();
  }

  @Override
  public Uni<List<Tool>> tools(List<String> toolIds) {
    Set<Integer> selected = new LinkedHashSet<>();
    for (String id : toolIds) {
      index(id).filter(servers::containsKey).ifPresent(selected::add);
    }
    if (selected.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<List<Tool>>> lists = new ArrayList<>();
    for (int index : selected) {
      List<Tool> known = tools.get(index);
      lists.add(known != null ? Uni.createFrom().item(known) : load(servers.get(index)));
    }
    return Uni.join()
        .all(lists)
        .andCollectFailures()
        .map(
            all -> {
              List<Tool> flat = new ArrayList<>();
              all.forEach(flat::addAll);
              return List.copyOf(flat);
            });
  }

  /** {@code server:<idx>} of an OpenAPI connection; MCP's {@code server:mcp:<id>} is not ours. */
  private static Optional<Integer> index(String id) {
    if (id == null || !id.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = id.substring(PREFIX.length());
    if (rest.isEmpty() || rest.length() > 9 || !rest.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(rest));
  }

  /** Reads one server's spec into its tools; on failure, logs and gives what it had before. */
  private Uni<List<Tool>> load(ToolServerConnection server) {
    String label = label(server);
    return client
        .spec(server)
        .map(
            spec -> {
              List<Tool> list = new ArrayList<>();
              for (OpenApiOperation operation : OpenApiSpecs.operations(spec, label)) {
                list.add(new OpenApiTool(server, operation, client));
              }
              return List.copyOf(list);
            })
        .invoke(
            list -> {
              List<Tool> before = tools.put(server.index(), list);
              if (before == null || before.size() != list.size()) {
                Log.infof("tool server %s: %d tools", label, list.size());
              }
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              List<Tool> before = tools.get(server.index());
              Log.warnf(
                  "tool server %s skipped%s: %s",
                  label,
                  before == null ? "" : " (keeps its " + before.size() + " tools)",
                  failure.getMessage());
              return before == null ? List.of() : before;
            });
  }

  private static String label(ToolServerConnection server) {
    return "\""
        + server.name()
        + "\" (server:"
        + server.index()
        + ", "
        + OpenApiClient.specUrl(server)
        + ")";
  }
}
