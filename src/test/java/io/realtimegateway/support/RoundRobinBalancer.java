package io.realtimegateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load balancer without sticky sessions, on a free loopback port: each HTTP request goes to the
 * next replica in turn (vertx-http-proxy), as a Kubernetes Service or an ingress without session
 * affinity does. WebSockets are not tunnelled: tests through it use long-polling.
 */
public final class RoundRobinBalancer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong requests = new AtomicLong();
  private final HttpServer server;

  private RoundRobinBalancer(List<URI> replicas) throws Exception {
    List<SocketAddress> origins =
        replicas.stream()
            .map(uri -> SocketAddress.inetSocketAddress(uri.getPort(), uri.getHost()))
            .toList();
    HttpClient client =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(256));
    HttpProxy proxy =
        HttpProxy.reverseProxy(client)
            .originSelector(
                request ->
                    Future.succeededFuture(
                        origins.get((int) (requests.getAndIncrement() % origins.size()))));
    server =
        vertx
            .createHttpServer()
            .requestHandler(proxy)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Starts a balancer in front of these replicas (their base URIs). */
  public static RoundRobinBalancer start(List<URI> replicas) {
    try {
      return new RoundRobinBalancer(replicas);
    } catch (Exception e) {
      throw new IllegalStateException("round-robin balancer did not start", e);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Requests passed on so far. */
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
