package io.realtimegateway.engine;

import io.quarkus.logging.Log;
import io.realtimegateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Forwards a request for a session held by another replica to that replica (Redis mode, no sticky
 * sessions). A poll goes as the same method, URI and body over HTTP, the owner's answer comes back
 * unchanged. The owner serves it as it serves its own clients, so a session has one packet queue
 * and one place where GETs and POSTs are ordered: every packet leaves once and in order, whichever
 * replica each request reached. A client that drops a waiting GET drops the forwarded one with it,
 * so the owner does not answer into a connection nobody reads. An upgrade to WebSocket becomes a
 * tunnel: the owner accepts the WebSocket, this replica passes its bytes both ways for as long as
 * it lives. An owner that cannot be reached refuses the request as for an unknown session, and the
 * client reconnects (or, for an upgrade, keeps polling).
 *
 * <p>A general reverse proxy (vertx-http-proxy) would copy every header of the owner's answer, and
 * this replica has already written the CORS ones, and would answer 502 where engine.io clients
 * expect a 400 for a session that is gone; forwarding is a few calls on Vert.x's own client.
 */
@ApplicationScoped
class SessionForwarder {

  /**
   * Marks a forwarded poll: the replica it reaches serves it or refuses it, never forwards it again
   * (two replicas that disagree about an owner cannot bounce a poll between them).
   */
  static final String FORWARDED = "X-Gateway-Forwarded";

  private static final int IDLE_MARGIN_SECONDS = 5;
  private static final int SWITCHING_PROTOCOLS = 101;

  private final Vertx vertx;
  private final GatewayConfig.Engine config;
  private final SessionOwners owners;
  private volatile HttpClient client;

  SessionForwarder(Vertx vertx, GatewayConfig config, SessionOwners owners) {
    this.vertx = vertx;
    this.config = config.engine();
    this.owners = owners;
  }

  /**
   * A request (poll or upgrade) for a session not held here: to the replica that holds it, or
   * refused as for an unknown session. A request another replica forwarded is never forwarded again
   * (two replicas that disagree about an owner cannot bounce it between them).
   */
  void forwardOrReject(RoutingContext context, String sid) {
    if (context.request().getHeader(FORWARDED) != null) {
      HandshakeFilter.reject(context, HandshakeFilter.UNKNOWN_SID, "Session ID unknown");
      return;
    }
    // A lookup in Redis answers on the Redis client's thread: the request goes on on its own.
    Context requestContext = Vertx.currentContext();
    owners
        .ownerOf(sid)
        .subscribe()
        .with(
            owner -> {
              if (requestContext == null || Vertx.currentContext() == requestContext) {
                dispatch(context, owner);
              } else {
                requestContext.runOnContext(ignored -> dispatch(context, owner));
              }
            });
  }

  private void dispatch(RoutingContext context, Optional<SocketAddress> owner) {
    HttpServerRequest in = context.request();
    if (owner.isEmpty()) {
      HandshakeFilter.reject(context, HandshakeFilter.UNKNOWN_SID, "Session ID unknown");
    } else if (in.method() == HttpMethod.GET
        && "websocket".equalsIgnoreCase(in.getHeader(HttpHeaders.UPGRADE))) {
      tunnel(in, owner.get());
    } else {
      forward(in, owner.get());
    }
  }

  /** Forwards a poll (GET or POST) to the replica at {@code owner} and relays its answer. */
  private void forward(HttpServerRequest in, SocketAddress owner) {
    HttpServerResponse out = in.response();
    RequestOptions options = options(in, owner);
    copyHeader(in, options, HttpHeaders.CONTENT_TYPE);
    copyHeader(in, options, HttpHeaders.CONTENT_LENGTH);
    client()
        .request(options)
        .onSuccess(request -> send(in, out, request, owner))
        .onFailure(failure -> unreachable(out, in, owner, failure));
  }

  /**
   * Opens the WebSocket at the owner with the client's handshake headers and, once it answered 101,
   * answers the client the same and joins the two connections.
   */
  private void tunnel(HttpServerRequest in, SocketAddress owner) {
    RequestOptions options = options(in, owner);
    in.headers()
        .forEach(
            header -> {
              if (!HttpHeaders.HOST.toString().equalsIgnoreCase(header.getKey())
                  && !HttpHeaders.ORIGIN.toString().equalsIgnoreCase(header.getKey())) {
                options.addHeader(header.getKey(), header.getValue());
              }
            });
    client()
        .request(options)
        .compose(HttpClientRequest::connect)
        .onSuccess(
            answer -> {
              if (answer.statusCode() != SWITCHING_PROTOCOLS) {
                // The owner refused the upgrade: the client hears the same refusal.
                answer.body().onComplete(body -> relayRefusal(in, answer, body.result()));
                return;
              }
              HttpServerResponse out = in.response();
              out.setStatusCode(SWITCHING_PROTOCOLS);
              answer.headers().forEach(header -> out.putHeader(header.getKey(), header.getValue()));
              NetSocket toOwner = answer.netSocket();
              in.toNetSocket()
                  .onSuccess(
                      toClient -> {
                        toClient.pipeTo(toOwner);
                        toOwner.pipeTo(toClient);
                      })
                  .onFailure(failure -> toOwner.close());
            })
        .onFailure(failure -> unreachable(in.response(), in, owner, failure));
  }

  private static void relayRefusal(HttpServerRequest in, HttpClientResponse answer, Buffer body) {
    HttpServerResponse out = in.response();
    if (out.ended() || out.closed()) {
      return;
    }
    out.setStatusCode(answer.statusCode());
    copyHeader(answer, out, HttpHeaders.CONTENT_TYPE);
    out.end(body == null ? Buffer.buffer() : body);
  }

  private static RequestOptions options(HttpServerRequest in, SocketAddress owner) {
    return new RequestOptions()
        .setServer(owner)
        .setHost(owner.host())
        .setPort(owner.port())
        .setMethod(in.method())
        .setURI(in.uri())
        .putHeader(FORWARDED, "1");
  }

  private void send(
      HttpServerRequest in,
      HttpServerResponse out,
      HttpClientRequest request,
      SocketAddress owner) {
    // The client left: closing the forwarded request tells the owner, whose GET then stops waiting.
    out.closeHandler(ignored -> request.reset());
    (in.method() == HttpMethod.POST ? request.send(in) : request.send())
        .onSuccess(answer -> relay(answer, out))
        .onFailure(failure -> unreachable(out, in, owner, failure));
  }

  private static void relay(HttpClientResponse answer, HttpServerResponse out) {
    if (out.closed() || out.ended()) {
      return;
    }
    out.setStatusCode(answer.statusCode());
    copyHeader(answer, out, HttpHeaders.CONTENT_TYPE);
    String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      out.setChunked(true);
    } else {
      out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    }
    answer.pipeTo(out);
  }

  private static void unreachable(
      HttpServerResponse out, HttpServerRequest in, SocketAddress owner, Throwable failure) {
    Log.debugf("poll for session %s not forwarded to %s: %s", in.getParam("sid"), owner, failure);
    if (out.closed() || out.ended()) {
      return;
    }
    if (out.headWritten()) {
      out.reset();
      return;
    }
    in.resume();
    out.setStatusCode(400)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end("{\"code\":" + HandshakeFilter.UNKNOWN_SID + ",\"message\":\"Session ID unknown\"}");
  }

  private HttpClient client() {
    HttpClient existing = client;
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      if (client == null) {
        // A forwarded GET waits as long as the client's own: up to a ping interval, and a little.
        long idleSeconds =
            config.pingInterval().plus(config.pingTimeout()).toSeconds() + IDLE_MARGIN_SECONDS;
        client =
            vertx.createHttpClient(
                new HttpClientOptions()
                    .setConnectTimeout((int) config.forwardConnectTimeout().toMillis())
                    .setIdleTimeout((int) idleSeconds)
                    .setKeepAlive(true)
                    .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(config.forwardMaxConnections()));
      }
      return client;
    }
  }

  @PreDestroy
  void close() {
    HttpClient open = client;
    if (open != null) {
      open.close();
    }
  }

  private static void copyHeader(HttpServerRequest from, RequestOptions to, CharSequence name) {
    String value = from.getHeader(name);
    if (value != null) {
      to.putHeader(name, value);
    }
  }

  private static void copyHeader(
      HttpClientResponse from, HttpServerResponse to, CharSequence name) {
    String value = from.getHeader(name);
    if (value != null) {
      to.putHeader(name, value);
    }
  }
}
