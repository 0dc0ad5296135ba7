package io.realtimegateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAPI tool server on a free loopback port, for tests. {@code /openapi.json} offers four
 * operations: {@code get_weather} (JSON, a path and a query parameter), {@code show_card} (inline
 * HTML), {@code slow_operation} (answers after 10 s) and {@code POST /orders} (no operationId, a
 * {@code $ref} body, always 500). {@code /broken.json} is not JSON. Every route needs {@code
 * Authorization: Bearer} {@link #KEY}, else 401. It records each request and each slow request
 * whose connection the client closed before the answer.
 */
public final class FakeToolServer implements AutoCloseable {

  /** The bearer key the server expects. */
  public static final String KEY = "tool-key";

  /**
   * One request seen.
   *
   * @param method the HTTP method
   * @param uri path and query as sent
   * @param authorization the {@code Authorization} header, or null
   * @param body the body as text
   */
  public record Seen(String method, String uri, String authorization, String body) {}

  private static final String SPEC =
      """
      {
        "openapi": "3.1.0",
        "info": {"title": "fake tools", "version": "1"},
        "paths": {
          "/weather/{city}": {
            "parameters": [
              {"name": "city", "in": "path", "required": true,
               "schema": {"type": "string"}, "description": "City name"}
            ],
            "get": {
              "operationId": "get_weather",
              "summary": "Current weather of a city",
              "parameters": [
                {"name": "units", "in": "query", "schema": {"type": "string", "enum": ["metric", "imperial"]}}
              ]
            }
          },
          "/card": {
            "get": {"operationId": "show_card", "description": "Shows a weather card"}
          },
          "/slow": {
            "get": {"operationId": "slow_operation", "summary": "Takes ten seconds"}
          },
          "/orders": {
            "post": {
              "summary": "Places an order",
              "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
              }
            }
          }
        },
        "components": {
          "schemas": {
            "Order": {
              "type": "object",
              "properties": {
                "item": {"type": "string"},
                "quantity": {"type": "integer"},
                "note": {"$ref": "#/components/schemas/Note"}
              },
              "required": ["item"]
            },
            "Note": {"type": "string", "description": "Free text"}
          }
        }
      }
      """;

  private final Vertx vertx;
  private final HttpServer server;
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final Queue<String> slowClosed = new ConcurrentLinkedQueue<>();

  private FakeToolServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static FakeToolServer start() {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer();
    FakeToolServer fake = new FakeToolServer(vertx, server);
    server.requestHandler(fake::handle);
    try {
      server
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake tool server did not start", e);
    }
    return fake;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every request seen so far, in order. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The URIs of slow requests whose connection closed before their answer. */
  public List<String> slowClosed() {
    return List.copyOf(slowClosed);
  }

  /** Forgets what was seen. */
  public void clear() {
    seen.clear();
    slowClosed.clear();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              seen.add(
                  new Seen(
                      request.method().name(),
                      request.uri(),
                      request.getHeader("Authorization"),
                      body.toString()));
              answer(request);
            });
  }

  private void answer(HttpServerRequest request) {
    var response = request.response();
    if (!("Bearer " + KEY).equals(request.getHeader("Authorization"))) {
      response.setStatusCode(401).end(new JsonObject().put("detail", "Not authenticated").encode());
      return;
    }
    String path = request.path();
    if (path.equals("/openapi.json")) {
      response.putHeader("Content-Type", "application/json").end(SPEC);
    } else if (path.equals("/broken.json")) {
      response
          .putHeader("Content-Type", "application/json")
          .end("{\"openapi\": \"3.1.0\", \"paths\": {");
    } else if (path.startsWith("/weather/") && request.method().name().equals("GET")) {
      String city =
          java.net.URLDecoder.decode(
              path.substring("/weather/".length()), java.nio.charset.StandardCharsets.UTF_8);
      response
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("city", city)
                  .put("units", request.getParam("units", "metric"))
                  .put("temperature", 21)
                  .encode());
    } else if (path.equals("/card")) {
      response
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Disposition", "inline")
          .end("<div class=\"card\">21°</div>");
    } else if (path.equals("/slow")) {
      String uri = request.uri();
      long timer =
          vertx.setTimer(
              10_000,
              ignored -> {
                if (!response.closed()) {
                  response.end("{\"done\": true}");
                }
              });
      request
          .connection()
          .closeHandler(
              ignored -> {
                vertx.cancelTimer(timer);
                if (!response.ended()) {
                  slowClosed.add(uri);
                }
              });
    } else if (path.equals("/orders") && request.method().name().equals("POST")) {
      response
          .setStatusCode(500)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("detail", "the order service is down").encode());
    } else {
      response.setStatusCode(404).end();
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
