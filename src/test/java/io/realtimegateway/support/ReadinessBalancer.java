package io.realtimegateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP load balancer on a free loopback port that, like a Kubernetes Service, sends a new
 * connection only to a replica whose readiness ({@code /q/health/ready}) answered 200 at its last
 * check (every 100 ms), round-robin among those. Connections already open stay where they are.
 */
public final class ReadinessBalancer implements AutoCloseable {

  private static final long CHECK_INTERVAL_MS = 100;

  private final Vertx vertx = Vertx.vertx();
  private final List<URI> replicas;
  private final AtomicIntegerArray ready;
  private final AtomicInteger next = new AtomicInteger();
  private final NetClient client;
  private final NetServer server;

  private ReadinessBalancer(List<URI> replicas) throws Exception {
    this.replicas = List.copyOf(replicas);
    this.ready = new AtomicIntegerArray(replicas.size());
    this.client = vertx.createNetClient();
    HttpClient health = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500));
    vertx.setPeriodic(0, CHECK_INTERVAL_MS, id -> checkReadiness(health));
    this.server =
        vertx
            .createNetServer()
            .connectHandler(this::route)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Starts a balancer in front of these replicas (their base URIs). */
  public static ReadinessBalancer start(List<URI> replicas) {
    try {
      return new ReadinessBalancer(replicas);
    } catch (Exception e) {
      throw new IllegalStateException("readiness balancer did not start", e);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Whether replica {@code index} passed its last readiness check. */
  public boolean isReady(int index) {
    return ready.get(index) == 1;
  }

  private void checkReadiness(HttpClient health) {
    for (int i = 0; i < replicas.size(); i++) {
      int index = i;
      URI replica = replicas.get(i);
      health
          .request(HttpMethod.GET, replica.getPort(), replica.getHost(), "/q/health/ready")
          .compose(request -> request.send())
          .onSuccess(
              response -> {
                ready.set(index, response.statusCode() == 200 ? 1 : 0);
                response.body();
              })
          .onFailure(failure -> ready.set(index, 0));
    }
  }

  private void route(NetSocket incoming) {
    incoming.pause();
    int chosen = -1;
    for (int tries = 0; tries < replicas.size(); tries++) {
      int candidate = Math.floorMod(next.getAndIncrement(), replicas.size());
      if (isReady(candidate)) {
        chosen = candidate;
        break;
      }
    }
    if (chosen < 0) {
      incoming.close();
      return;
    }
    URI replica = replicas.get(chosen);
    client
        .connect(replica.getPort(), replica.getHost())
        .onSuccess(
            outgoing -> {
              incoming.pipeTo(outgoing);
              outgoing.pipeTo(incoming);
            })
        .onFailure(failure -> incoming.close());
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
