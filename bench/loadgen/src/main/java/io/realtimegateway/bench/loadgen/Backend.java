package io.realtimegateway.bench.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A backend talking to one server's {@code /internal/v1} API over keep-alive HTTP/1.1. Every
 * request runs on {@link #context}, so the drivers built on it are single-threaded.
 */
final class Backend {

  /** Status -1 means the request failed before any answer (refused, reset, timed out). */
  record Reply(int status, Buffer body) {}

  /** A request made as a user: their token (null: no user) and the JSON body. */
  record UserRequest(String token, String body) {}

  final Context context;
  final URI base;
  private final HttpClient http;
  private final long requestTimeoutMs;

  Backend(Vertx vertx, Context context, URI base, int poolSize, long requestTimeoutMs) {
    this.context = context;
    this.base = base;
    this.requestTimeoutMs = requestTimeoutMs;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(5_000)
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort()),
            new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
  }

  /** POSTs a JSON body. Call on {@link #context}; the future completes there too. */
  Future<Reply> post(String path, String json) {
    return request(HttpMethod.POST, path, Buffer.buffer(json));
  }

  Future<Reply> get(String path) {
    return request(HttpMethod.GET, path, null);
  }

  /** POSTs a JSON body as a user: {@code Authorization: Bearer <token>} (Open WebUI's routes). */
  Future<Reply> postAs(String token, String path, String json) {
    return request(HttpMethod.POST, path, Buffer.buffer(json), token);
  }

  private Future<Reply> request(HttpMethod method, String path, Buffer body) {
    return request(method, path, body, null);
  }

  private Future<Reply> request(HttpMethod method, String path, Buffer body, String token) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setURI(path)
            .setIdleTimeout(requestTimeoutMs)
            .putHeader("content-type", "application/json");
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b)))
        .recover(e -> Future.succeededFuture(new Reply(-1, Buffer.buffer(String.valueOf(e)))));
  }

  /** Runs {@code action} on {@link #context} from any thread. */
  <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Blocking POST for the orchestrating thread. */
  Reply postAndWait(String path, String json, Duration wait) {
    return await(onContext(() -> post(path, json)), wait);
  }

  Reply getAndWait(String path, Duration wait) {
    return await(onContext(() -> get(path)), wait);
  }

  /**
   * POSTs every body to {@code path} with at most {@code window} in flight; blocks until all are
   * answered. Returns status to count.
   */
  Map<Integer, Long> postAll(String path, List<String> bodies, int window, Duration wait) {
    Map<Integer, Long> statuses = new TreeMap<>();
    List<UserRequest> requests = bodies.stream().map(body -> new UserRequest(null, body)).toList();
    for (Reply reply : postAllAs(path, requests, window, wait)) {
      statuses.merge(reply.status(), 1L, Long::sum);
    }
    return statuses;
  }

  /**
   * POSTs each request to {@code path} as its user, at most {@code window} in flight; blocks until
   * all are answered. Returns the replies in the order of the requests.
   */
  List<Reply> postAllAs(String path, List<UserRequest> requests, int window, Duration wait) {
    Reply[] replies = new Reply[requests.size()];
    if (requests.isEmpty()) {
      return List.of();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          int[] state = new int[2]; // next index, answered
          Runnable[] pump = new Runnable[1];
          pump[0] =
              () -> {
                int i = state[0]++;
                if (i >= requests.size()) {
                  return;
                }
                UserRequest request = requests.get(i);
                postAs(request.token(), path, request.body())
                    .onComplete(
                        ar -> {
                          replies[i] = ar.result();
                          if (++state[1] == requests.size()) {
                            done.tryComplete();
                          } else {
                            pump[0].run();
                          }
                        });
              };
          for (int k = 0; k < Math.min(window, requests.size()); k++) {
            pump[0].run();
          }
        });
    await(done.future(), wait);
    return List.of(replies);
  }

  Future<Void> close() {
    return http.close();
  }

  static <T> T await(Future<T> future, Duration wait) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("no answer within " + wait + ": " + e, e);
    }
  }
}
