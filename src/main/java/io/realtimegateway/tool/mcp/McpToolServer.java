package io.realtimegateway.tool.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.logging.Log;
import io.realtimegateway.tool.Tool;
import io.realtimegateway.tool.ToolResult;
import io.realtimegateway.tool.ToolServerConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One MCP server of {@code TOOL_SERVER_CONNECTIONS}: its session (an SDK async client over
 * streamable HTTP), its tool list and its calls.
 *
 * <p>The session is opened on first use and shared by every call; a transport failure drops it, and
 * the next listing or call opens a new one, so a server that restarted is picked up again. Nothing
 * here blocks: the SDK's client is asynchronous (Reactor over {@code java.net.http}) and completes
 * on its HTTP client's threads.
 */
final class McpToolServer {

  /** Pages of {@code tools/list} read at most, against a server that never ends its cursor. */
  private static final int MAX_PAGES = 100;

  /** The SDK's own limit per request: past ours, so ours (with its clearer message) ends first. */
  private static final Duration SDK_TIMEOUT_MARGIN = Duration.ofSeconds(5);

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Least time between two listings asked for by requests after a failed one. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private static final TypeReference<Map<String, Object>> ARGUMENTS = new TypeReference<>() {};

  private final ToolServerConnection connection;
  private final ObjectMapper mapper;
  private final McpJsonMapper sdkMapper;
  private final JsonSchemaValidator validator;
  private final Duration callTimeout;
  private final Duration refreshInterval;

  /** The session being opened or open; null when none (never opened, or dropped). */
  private final AtomicReference<Uni<McpAsyncClient>> session = new AtomicReference<>();

  /** The last client that initialized, closed at shutdown. */
  private volatile McpAsyncClient lastClient;

  private volatile Listing listing;

  /** The listing running now, shared by the requests that come meanwhile; null when none. */
  private final AtomicReference<Uni<List<Tool>>> listingInFlight = new AtomicReference<>();

  /** Whether the last listing failed: one warning per outage, not one per request. */
  private volatile boolean unreachable;

  /** When the last listing failed ({@link System#nanoTime()}), if {@link #unreachable}. */
  private volatile long failedAtNanos;

  private record Listing(List<Tool> tools, long atNanos) {}

  McpToolServer(
      ToolServerConnection connection,
      ObjectMapper mapper,
      McpJsonMapper sdkMapper,
      JsonSchemaValidator validator,
      Duration callTimeout,
      Duration refreshInterval) {
    this.connection = connection;
    this.mapper = mapper;
    this.sdkMapper = sdkMapper;
    this.validator = validator;
    this.callTimeout = callTimeout;
    this.refreshInterval = refreshInterval;
  }

  String id() {
    return connection.id();
  }

  String name() {
    return connection.name();
  }

  /**
   * The server's tools: the last listing while younger than the refresh interval, else a new one.
   * Never fails: a server that gives no list has no tools. It is asked again on request at most
   * every {@link #RETRY_AFTER}, so requests that select a server that is down do not each wait for
   * it, and by every scheduled refresh.
   */
  Uni<List<Tool>> tools() {
    Listing current = listing;
    long now = System.nanoTime();
    if (current != null && now - current.atNanos() < refreshInterval.toNanos()) {
      return Uni.createFrom().item(current.tools());
    }
    if (current == null && unreachable && now - failedAtNanos < RETRY_AFTER.toNanos()) {
      return Uni.createFrom().item(List.of());
    }
    return refresh();
  }

  /**
   * Lists the server's tools again; never fails (see {@link #tools()}). Requests that come while a
   * listing runs share it.
   */
  Uni<List<Tool>> refresh() {
    while (true) {
      Uni<List<Tool>> running = listingInFlight.get();
      if (running != null) {
        return running;
      }
      AtomicReference<Uni<List<Tool>>> self = new AtomicReference<>();
      Uni<List<Tool>> fresh =
          list()
              .invoke(() -> listingInFlight.compareAndSet(self.get(), null))
              .memoize()
              .indefinitely();
      self.set(fresh);
      if (listingInFlight.compareAndSet(null, fresh)) {
        return fresh;
      }
    }
  }

  private Uni<List<Tool>> list() {
    return Uni.createFrom().deferred(this::listNow);
  }

  private Uni<List<Tool>> listNow() {
    Uni<McpAsyncClient> used = session();
    return used.chain(client -> listAll(client, null, new ArrayList<>(), 0))
        .ifNoItem()
        .after(callTimeout)
        .failWith(
            () -> new TimeoutException("no tool list within " + callTimeout.toMillis() + " ms"))
        .map(this::toTools)
        .invoke(
            tools -> {
              listing = new Listing(tools, System.nanoTime());
              if (unreachable) {
                unreachable = false;
                Log.infof("MCP server %s (%s) lists its tools again", name(), connection.url());
              }
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              listing = null;
              failedAtNanos = System.nanoTime();
              drop(used);
              logUnreachable(failure);
              return List.of();
            });
  }

  /**
   * Calls one tool. Fails with a {@link McpToolException} saying what went wrong: no answer within
   * the call timeout, the server refused the call (a JSON-RPC error), or the server could not be
   * reached or dropped the call (the session is then dropped, and the next call reconnects).
   */
  Uni<ToolResult.Mcp> call(String tool, ObjectNode arguments) {
    Map<String, Object> args =
        arguments == null ? Map.of() : mapper.convertValue(arguments, ARGUMENTS);
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, args);
    // Each subscription takes the session current then, so a retry after a drop reconnects.
    return Uni.createFrom().deferred(() -> callNow(tool, request));
  }

  private Uni<ToolResult.Mcp> callNow(String tool, McpSchema.CallToolRequest request) {
    Uni<McpAsyncClient> used = session();
    CallMark mark = new CallMark();
    return used.chain(
            client ->
                Monos.toUni(() -> client.callTool(request).contextWrite(mark.context()))
                    // A stop, or the timeout below: the server is told to stop the tool too.
                    .onCancellation()
                    .invoke(() -> mark.cancel(name(), tool)))
        .ifNoItem()
        .after(callTimeout)
        .failWith(
            () ->
                new McpToolException(
                    "MCP tool "
                        + tool
                        + " of "
                        + name()
                        + " did not answer within "
                        + callTimeout.toMillis()
                        + " ms"))
        .onFailure(failure -> !(failure instanceof McpToolException))
        .transform(failure -> failed(tool, used, failure))
        .map(result -> McpResults.toResult(result, mapper));
  }

  /** Closes the session, at shutdown. */
  void close() {
    session.set(null);
    McpAsyncClient client = lastClient;
    if (client != null) {
      client.close();
    }
  }

  private McpToolException failed(String tool, Uni<McpAsyncClient> used, Throwable failure) {
    if (failure instanceof McpError error && error.getJsonRpcError() != null) {
      // The server answered with an error: the session is fine, only this call failed.
      return new McpToolException(
          "MCP server " + name() + " refused the call to " + tool + ": " + error.getMessage(),
          failure);
    }
    drop(used);
    Log.warnf(
        "MCP server %s (%s) failed a call to %s, the next call reconnects: %s",
        name(), connection.url(), tool, describe(failure));
    return new McpToolException(
        "MCP server " + name() + " failed the call to " + tool + ": " + describe(failure), failure);
  }

  private Uni<McpAsyncClient> session() {
    while (true) {
      Uni<McpAsyncClient> current = session.get();
      if (current != null) {
        return current;
      }
      AtomicReference<Uni<McpAsyncClient>> self = new AtomicReference<>();
      Uni<McpAsyncClient> opening =
          connect()
              // A session that failed to open is forgotten at once, so the next use tries again.
              .onFailure()
              .invoke(() -> session.compareAndSet(self.get(), null))
              .memoize()
              .indefinitely();
      self.set(opening);
      if (session.compareAndSet(null, opening)) {
        return opening;
      }
    }
  }

  /** Forgets the session {@code used} (if still the current one) and closes it. */
  private void drop(Uni<McpAsyncClient> used) {
    if (session.compareAndSet(used, null)) {
      used.subscribe()
          .with(
              client ->
                  client
                      .closeGracefully()
                      .subscribe(
                          null,
                          failure -> Log.debugf("closing MCP session of %s: %s", name(), failure)),
              failure -> {});
    }
  }

  private Uni<McpAsyncClient> connect() {
    // Building the client starts java.net.http's selector thread: cheap, but not event-loop work.
    return Uni.createFrom()
        .item(this::newClient)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            client ->
                Monos.toUni(client::initialize)
                    .map(
                        initialized -> {
                          lastClient = client;
                          Log.debugf(
                              "MCP server %s: session open (%s, protocol %s)",
                              name(), initialized.serverInfo(), initialized.protocolVersion());
                          return client;
                        })
                    .onFailure()
                    .invoke(client::close));
  }

  private McpAsyncClient newClient() {
    URI url = URI.create(connection.url());
    String origin = url.getScheme() + "://" + url.getRawAuthority();
    String endpoint =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      endpoint += "?" + url.getRawQuery();
    }
    HttpRequest.Builder requests = HttpRequest.newBuilder();
    if ("bearer".equals(connection.authType()) && connection.key().isPresent()) {
      requests.header("Authorization", "Bearer " + connection.key().get());
    }
    Duration connectTimeout =
        callTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? callTimeout : MAX_CONNECT_TIMEOUT;
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(origin)
            .endpoint(endpoint)
            .jsonMapper(sdkMapper)
            .requestBuilder(requests)
            .connectTimeout(connectTimeout)
            .build();
    return McpClient.async(new CancellableTransport(transport))
        .clientInfo(new McpSchema.Implementation("realtime-gateway", "0.1.0"))
        .requestTimeout(callTimeout.plus(SDK_TIMEOUT_MARGIN))
        .initializationTimeout(callTimeout.plus(SDK_TIMEOUT_MARGIN))
        .jsonSchemaValidator(validator)
        .build();
  }

  private Uni<List<McpSchema.Tool>> listAll(
      McpAsyncClient client, String cursor, List<McpSchema.Tool> tools, int page) {
    return Monos.toUni(() -> cursor == null ? client.listTools() : client.listTools(cursor))
        .chain(
            result -> {
              if (result.tools() != null) {
                tools.addAll(result.tools());
              }
              if (result.nextCursor() == null || page + 1 >= MAX_PAGES) {
                return Uni.createFrom().item(tools);
              }
              return listAll(client, result.nextCursor(), tools, page + 1);
            });
  }

  private List<Tool> toTools(List<McpSchema.Tool> tools) {
    return tools.stream()
        .<Tool>map(
            tool -> {
              // Open WebUI's naming: the connection id, "_", the server's tool name.
              String name = connection.id() + "_" + tool.name();
              return new McpTool(
                  name, McpResults.spec(name, tool, mapper), name(), tool.name(), this);
            })
        .toList();
  }

  private void logUnreachable(Throwable failure) {
    if (unreachable) {
      Log.debugf(
          "MCP server %s (%s) still unreachable: %s", name(), connection.url(), describe(failure));
      return;
    }
    unreachable = true;
    Log.warnf(
        "MCP server %s (%s) did not list its tools, they are left out until it does: %s",
        name(), connection.url(), describe(failure));
  }

  /**
   * The failure's chain, wrappers left out: {@code java.net.http} reports a refused connection as a
   * {@code ConnectException} whose only detail is its cause, so the root alone says too little.
   */
  static String describe(Throwable failure) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause()) {
      if (t instanceof CompletionException || t instanceof ExecutionException) {
        continue;
      }
      String message = t.getMessage();
      String part =
          message == null || message.isBlank() || message.equals(String.valueOf(t.getCause()))
              ? t.getClass().getSimpleName()
              : t.getClass().getSimpleName() + ": " + message;
      if (!parts.contains(part)) {
        parts.add(part);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(" <- ", parts);
  }
}
