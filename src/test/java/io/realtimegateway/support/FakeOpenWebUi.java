package io.realtimegateway.support;

import com.auth0.jwt.JWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The three Open WebUI endpoints the gateway asks, on a loopback port, answering from the user id
 * in the bearer token: users whose id starts with {@code pending} have role {@code pending}; users
 * whose id starts with {@code member} belong to channels {@code general} and {@code random}; only
 * note {@code shared-note} is readable. A test can script the next profile request of a user to
 * fail or be refused.
 */
public final class FakeOpenWebUi {

  private static final FakeOpenWebUi INSTANCE = new FakeOpenWebUi();

  /** A scripted answer that closes the connection without answering. */
  public static final int DROP_CONNECTION = -1;

  /** A scripted answer of status 200 whose body is not JSON. */
  public static final int INVALID_JSON = -2;

  private final HttpServer server;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, Queue<Integer>> scriptedProfiles = new ConcurrentHashMap<>();

  private FakeOpenWebUi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeOpenWebUi instance() {
    return INSTANCE;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How many requests a path has had. */
  public int requestCount(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  /**
   * The next profile request ({@code GET /api/v1/auths/}) of the user gets {@code status} with an
   * error body, {@link #DROP_CONNECTION} or {@link #INVALID_JSON}; later ones are answered as
   * usual.
   */
  public void scriptNextProfile(String userId, int status) {
    scriptedProfiles.computeIfAbsent(userId, key -> new ConcurrentLinkedQueue<>()).add(status);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String userId;
    try {
      userId = JWT.decode(authorization.substring("Bearer ".length())).getClaim("id").asString();
    } catch (RuntimeException e) {
      reply(exchange, 401, "{\"detail\":\"Not authenticated\"}");
      return;
    }
    Queue<Integer> scripted = userId == null ? null : scriptedProfiles.get(userId);
    Integer status = path.equals("/api/v1/auths/") && scripted != null ? scripted.poll() : null;
    if (status != null && status == DROP_CONNECTION) {
      exchange.close();
    } else if (status != null && status == INVALID_JSON) {
      reply(exchange, 200, "<html>Bad Gateway</html>");
    } else if (status != null) {
      reply(exchange, status, "{\"detail\":\"scripted answer\"}");
    } else if (path.equals("/api/v1/auths/")) {
      String role = userId.startsWith("pending") ? "pending" : "user";
      reply(
          exchange,
          200,
          "{\"id\":\"%s\",\"name\":\"Backend %s\",\"email\":\"%s@example.com\",\"role\":\"%s\",\"token\":\"t\"}"
              .formatted(userId, userId, userId, role));
    } else if (path.equals("/api/v1/channels/")) {
      reply(
          exchange,
          200,
          userId.startsWith("member")
              ? "[{\"id\":\"general\",\"name\":\"General\"},{\"id\":\"random\",\"name\":\"Random\"}]"
              : "[]");
    } else if (path.equals("/api/v1/notes/shared-note")) {
      reply(exchange, 200, "{\"id\":\"shared-note\"}");
    } else {
      reply(exchange, 404, "{\"detail\":\"Not found\"}");
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
