package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves Engine.IO's HTTP long-polling requests once {@link HandshakeFilter} has checked them: the
 * handshake GET, the GETs that wait for packets and the POSTs that carry the client's. A request
 * may arrive on any event loop; the body is read there, then the work hops to the session's context
 * (the threading model), which answers it. A poll for a session another replica holds is forwarded
 * there ({@link SessionForwarder}).
 */
@ApplicationScoped
class PollingHandler {

  /** engine.io answers a POST with this body and type. */
  private static final String POST_ANSWER = "ok";

  private static final String POST_ANSWER_TYPE = "text/html";

  private static final String BINARY_BODY_TYPE = "application/octet-stream";

  private final EngineServer server;
  private final SessionForwarder forwarder;

  PollingHandler(EngineServer server, SessionForwarder forwarder) {
    this.server = server;
    this.forwarder = forwarder;
  }

  void handle(RoutingContext context, EngineListener listener) {
    HttpServerRequest request = context.request();
    String sid = request.getParam("sid");
    if (sid == null) {
      handshake(context, listener);
      return;
    }
    EngineSession session = server.session(sid);
    if (session == null) {
      forwarder.forwardOrReject(context, sid);
    } else if (request.method() == HttpMethod.GET) {
      poll(context, session);
    } else if (request.method() == HttpMethod.POST) {
      readBody(context, session);
    } else {
      HandshakeFilter.reject(context, HandshakeFilter.BAD_REQUEST, "Bad request");
    }
  }

  private void handshake(RoutingContext context, EngineListener listener) {
    if (context.request().method() != HttpMethod.GET) {
      HandshakeFilter.reject(context, HandshakeFilter.BAD_HANDSHAKE_METHOD, "Bad handshake method");
      return;
    }
    // The handshake's event loop becomes the session's context, as a WebSocket's does.
    Context owner = Vertx.currentContext();
    PollingTransport transport = new PollingTransport(owner, server.closeLinger());
    transport.poll(context.response());
    server.open(transport, listener, owner);
  }

  private void poll(RoutingContext context, EngineSession session) {
    HttpServerResponse response = context.response();
    session.execute(
        () -> {
          PollingTransport polling = session.polling();
          if (polling == null) {
            // The session moved to a WebSocket: engine.io refuses its old transport.
            HandshakeFilter.reject(context, HandshakeFilter.BAD_REQUEST, "Bad request");
          } else if (!polling.poll(response)) {
            Log.debugf(
                "engine session %s sent a second GET while one waits, closing", session.sid());
            HandshakeFilter.reject(context, HandshakeFilter.BAD_REQUEST, "Bad request");
            session.transportFailed(polling, "overlap from client", CloseCode.POLICY_VIOLATION);
          }
        });
  }

  private void readBody(RoutingContext context, EngineSession session) {
    HttpServerRequest request = context.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith(BINARY_BODY_TYPE)) {
      // Engine.IO v3's binary payloads; v4 payloads are text, and engine.io refuses the rest.
      HandshakeFilter.reject(context, HandshakeFilter.BAD_REQUEST, "Bad request");
      session.execute(
          () -> {
            PollingTransport polling = session.polling();
            if (polling != null) {
              session.transportFailed(polling, "invalid content", CloseCode.POLICY_VIOLATION);
            }
          });
      return;
    }
    int limit = server.maxPayload();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && parseLength(declared) > limit) {
      tooLarge(context, session);
      return;
    }
    BodyReader reader = new BodyReader(context, session, limit);
    request.handler(reader::chunk);
    request.endHandler(ignored -> reader.end());
    request.exceptionHandler(failure -> reader.finished = true);
    request.resume();
  }

  private void tooLarge(RoutingContext context, EngineSession session) {
    HttpServerResponse response = context.response();
    if (!response.ended()) {
      response.setStatusCode(413).end();
    }
    session.execute(
        () -> {
          PollingTransport polling = session.polling();
          if (polling != null) {
            server.onPayloadTooLarge(session, polling);
          }
        });
  }

  private void posted(RoutingContext context, EngineSession session, Buffer body) {
    String payload = body.toString(StandardCharsets.UTF_8);
    session.execute(
        () -> {
          PollingTransport polling = session.polling();
          if (polling == null || session.isClosed()) {
            HandshakeFilter.reject(
                context,
                polling == null ? HandshakeFilter.BAD_REQUEST : HandshakeFilter.UNKNOWN_SID,
                polling == null ? "Bad request" : "Session ID unknown");
          } else if (server.onPayload(session, polling, payload)) {
            context
                .response()
                .putHeader(HttpHeaders.CONTENT_TYPE, POST_ANSWER_TYPE)
                .end(POST_ANSWER);
          } else {
            HandshakeFilter.reject(context, HandshakeFilter.BAD_REQUEST, "Bad request");
          }
        });
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Gathers one POST body on the request's event loop, up to {@code maxPayload}. */
  private final class BodyReader {
    private final RoutingContext context;
    private final EngineSession session;
    private final int limit;
    private final Buffer body = Buffer.buffer();
    private boolean finished;

    BodyReader(RoutingContext context, EngineSession session, int limit) {
      this.context = context;
      this.session = session;
      this.limit = limit;
    }

    void chunk(Buffer chunk) {
      if (finished) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        // A chunked body without a length: stop keeping it the moment it passes the limit.
        finished = true;
        tooLarge(context, session);
        return;
      }
      body.appendBuffer(chunk);
    }

    void end() {
      if (!finished) {
        posted(context, session, body);
      }
    }
  }
}
