package io.realtimegateway.bench.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The N client connections of this process, spread over the event loops and, when given, over
 * several loopback source addresses (each address has its own ~28k ephemeral ports to the server).
 * Each one is a WebSocket or, with {@code --transport polling}, an HTTP long-polling session.
 */
final class ClientFleet {

  private final Options options;
  final FleetStats stats = new FleetStats();
  final List<ClientConnection> connections;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final WebSocketConnectOptions connectOptions;

  /** Polling: per source address, the client of {@code --url} and that of {@code --poll-url}. */
  private final List<HttpClient[]> pollingClients = new ArrayList<>();

  /**
   * @param attempted connections tried
   * @param connected connections whose CONNECT was answered
   * @param elapsedNanos from the first attempt to the last one finishing
   * @param failures reason to count
   */
  record OpenResult(
      int attempted,
      int connected,
      long elapsedNanos,
      Map<String, Long> failures,
      boolean timedOut) {

    int failed() {
      return attempted - connected;
    }
  }

  ClientFleet(Vertx vertx, List<Context> contexts, Options options, Tokens tokens) {
    this.options = options;
    List<String> locals = options.localAddresses().isEmpty() ? null : options.localAddresses();
    int perClient =
        options.connections() / (locals == null ? 1 : locals.size()) + options.concurrency() + 16;
    for (String local : locals == null ? List.<String>of("") : locals) {
      if (options.polling()) {
        HttpClient handshake = httpClient(vertx, local, perClient);
        HttpClient poll =
            options.pollUrl().equals(options.url())
                ? handshake
                : httpClient(vertx, local, perClient);
        pollingClients.add(new HttpClient[] {handshake, poll});
        continue;
      }
      WebSocketClientOptions clientOptions =
          new WebSocketClientOptions()
              .setMaxConnections(perClient)
              .setConnectTimeout(options.connectTimeoutS() * 1_000)
              .setMaxFrameSize(1 << 20)
              .setMaxMessageSize(16 << 20)
              .setTcpNoDelay(true)
              .setClosingTimeout(5)
              .setTryUsePerMessageCompression(options.compression());
      if (!local.isEmpty()) {
        clientOptions.setLocalAddress(local);
      }
      clients.add(vertx.createWebSocketClient(clientOptions));
    }
    this.connectOptions =
        new WebSocketConnectOptions()
            .setHost(options.url().getHost())
            .setPort(options.url().getPort())
            .setURI(options.path() + "/?EIO=4&transport=websocket");
    Duration ttl = Duration.ofSeconds(options.maxRuntimeSeconds() + 3_600);
    List<ClientConnection> list = new ArrayList<>(options.connections());
    for (int i = 0; i < options.connections(); i++) {
      String user = options.userId(i);
      list.add(
          new ClientConnection(
              i, user, tokens.mint(user, ttl), contexts.get(i % contexts.size()), stats));
    }
    this.connections = List.copyOf(list);
  }

  /**
   * Opens every connection with at most {@code concurrency} attempts in flight: each attempt that
   * finishes starts the next. Blocks until all have finished or the bound passes.
   */
  OpenResult openAll() {
    int n = connections.size();
    int concurrency = Math.min(options.concurrency(), n);
    long perConnectionMs = options.connectTimeoutS() * 1_000L;
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    Runnable[] launch = new Runnable[1];
    launch[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= n) {
            return;
          }
          ClientConnection c = connections.get(i);
          c.context.runOnContext(
              v ->
                  c.open(transport(i), perConnectionMs)
                      .onComplete(
                          ar -> {
                            if (ar.succeeded()) {
                              ok.incrementAndGet();
                            } else {
                              failures
                                  .computeIfAbsent(ar.cause().getMessage(), k -> new LongAdder())
                                  .increment();
                            }
                            lastDone.set(System.nanoTime());
                            done.countDown();
                            launch[0].run();
                          }));
        };
    for (int k = 0; k < concurrency; k++) {
      launch[0].run();
    }
    long boundMs = perConnectionMs * ((n + concurrency - 1) / concurrency) + 30_000;
    long lastLog = System.nanoTime();
    boolean finished = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMs);
      while (!(finished = done.await(1, TimeUnit.SECONDS)) && System.nanoTime() < deadline) {
        if (System.nanoTime() - lastLog > 5_000_000_000L) {
          lastLog = System.nanoTime();
          Log.info(
              "opening: %d/%d connected, %d failed", ok.get(), n, n - done.getCount() - ok.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long elapsed = (finished ? lastDone.get() : System.nanoTime()) - start;
    Map<String, Long> reasons = new TreeMap<>();
    failures.forEach((reason, count) -> reasons.put(reason, count.sum()));
    return new OpenResult(n, ok.get(), elapsed, reasons, !finished);
  }

  /** The transport of connection {@code i}, bound round-robin to a source address. */
  private ClientTransport transport(int i) {
    if (options.polling()) {
      HttpClient[] pair = pollingClients.get(i % pollingClients.size());
      return new PollingTransport(
          pair[0], pair[1], options.url(), options.pollUrl(), options.path(), stats);
    }
    return new WebSocketTransport(clients.get(i % clients.size()), connectOptions, stats);
  }

  /**
   * A polling session holds one connection for its waiting GET and, now and then, one for a POST; a
   * pooled connection is reused by any session of the same loop. Idle connections are dropped
   * before Node's 5 s keep-alive does, so a POST never lands on a connection the server is closing.
   */
  private HttpClient httpClient(Vertx vertx, String local, int perClient) {
    HttpClientOptions clientOptions =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(4)
            .setTcpNoDelay(true)
            .setConnectTimeout(options.connectTimeoutS() * 1_000);
    if (!local.isEmpty()) {
      clientOptions.setLocalAddress(local);
    }
    return vertx.createHttpClient(
        clientOptions, new PoolOptions().setHttp1MaxSize(2 * perClient).setMaxWaitQueueSize(-1));
  }

  List<ClientConnection> connected() {
    return connections.stream().filter(c -> c.isConnected).toList();
  }

  /** Polls until every connection in {@code among} satisfies {@code ready}, or the wait passes. */
  static int awaitAll(
      List<ClientConnection> among, Predicate<ClientConnection> ready, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    int count;
    while ((count = (int) among.stream().filter(ready).count()) < among.size()
        && System.nanoTime() < deadline) {
      sleep(50);
    }
    return count;
  }

  /** Closes every connection and waits for the transports to be gone; returns how many closed. */
  int closeAll(Duration wait) {
    connections.forEach(ClientConnection::close);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline && connections.stream().anyMatch(c -> !c.isClosed())) {
      sleep(50);
    }
    return (int) connections.stream().filter(ClientConnection::isClosed).count();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
