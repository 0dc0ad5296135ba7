package io.realtimegateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONObject;

/**
 * An Engine.IO long-polling client that sends requests by hand (JDK HttpClient), for tests that
 * must send exactly what a library would not: two GETs at once, a broken payload, silence. Given
 * several replicas it sends each request to the next one in turn, as a round-robin load balancer
 * without sticky sessions would.
 */
public final class RawPollingClient {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<URI> endpoints;
  private final AtomicInteger next = new AtomicInteger();
  private String sid;
  private JSONObject open;

  /** {@code base + path}, e.g. {@code http://localhost:8081/ws/socket.io/}. */
  public RawPollingClient(URI base, String path) {
    this(List.of(base), path);
  }

  /** Requests go to each of these bases in turn, starting with the first. */
  public RawPollingClient(List<URI> bases, String path) {
    this.endpoints =
        bases.stream()
            .map(base -> URI.create(base.toString().replaceAll("/+$", "") + path))
            .toList();
  }

  /** The handshake GET; returns its OPEN packet's JSON. */
  public JSONObject handshake() {
    HttpResponse<String> response = send(request("EIO=4&transport=polling").GET());
    if (response.statusCode() != 200 || !response.body().startsWith("0")) {
      throw new AssertionError("handshake: " + response.statusCode() + " " + response.body());
    }
    try {
      open = new JSONObject(response.body().substring(1));
      sid = open.getString("sid");
    } catch (org.json.JSONException e) {
      throw new AssertionError("handshake: " + response.body(), e);
    }
    return open;
  }

  public String sid() {
    return sid;
  }

  /** A GET of the session, waiting for its answer. */
  public HttpResponse<String> get() {
    return send(sessionRequest().GET());
  }

  /** A GET of another session (any sid), waiting for its answer. */
  public HttpResponse<String> get(String otherSid) {
    return send(request("EIO=4&transport=polling&sid=" + otherSid).GET());
  }

  /** A GET of the session, not waited for. */
  public CompletableFuture<HttpResponse<String>> getAsync() {
    return HTTP.sendAsync(sessionRequest().GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * GETs until one brings more than the server's own PINGs, answering those; returns the other
   * packets of that payload (the server PINGs often under short test timings).
   */
  public String nextPayload() {
    for (; ; ) {
      HttpResponse<String> response = get();
      if (response.statusCode() != 200) {
        throw new AssertionError("poll: " + response.statusCode() + " " + response.body());
      }
      java.util.List<String> packets = new java.util.ArrayList<>();
      for (String packet : response.body().split("\u001e")) {
        if ("2".equals(packet)) {
          post("3");
        } else {
          packets.add(packet);
        }
      }
      if (!packets.isEmpty()) {
        return String.join("\u001e", packets);
      }
    }
  }

  /**
   * Polls on a thread of its own until closed, answering the server's PINGs, as a client library
   * does while the test does something else. The test must not GET meanwhile (a second GET closes
   * the session).
   */
  public Poller keepPolling() {
    return new Poller();
  }

  /** {@link #keepPolling}: what the polls brought besides PINGs, and whether they still work. */
  public final class Poller implements AutoCloseable {
    private final java.util.concurrent.BlockingQueue<String> packets =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private volatile HttpResponse<String> refused;
    private final Thread thread;

    private Poller() {
      thread = new Thread(this::run, "raw-polling-" + sid);
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      while (running) {
        HttpResponse<String> response;
        try {
          response = get();
        } catch (AssertionError e) {
          continue;
        }
        if (response.statusCode() != 200) {
          refused = response;
          return;
        }
        for (String packet : response.body().split("\u001e")) {
          if ("2".equals(packet)) {
            post("3");
          } else {
            packets.add(packet);
          }
        }
      }
    }

    /** The next packet a poll brought other than a PING, waiting up to 5 s. */
    public String next() throws InterruptedException {
      String packet = packets.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      if (packet == null) {
        throw new AssertionError("no packet within 5 s; refused poll: " + describeRefusal());
      }
      return packet;
    }

    /** Whether every poll so far was answered 200. */
    public boolean isServed() {
      return refused == null;
    }

    private String describeRefusal() {
      HttpResponse<String> failed = refused;
      return failed == null ? "none" : failed.statusCode() + " " + failed.body();
    }

    @Override
    public void close() {
      running = false;
      // The GET in flight ends with the next PING at the latest.
      thread.interrupt();
    }
  }

  /** A POST of a payload to the session. */
  public HttpResponse<String> post(String payload) {
    return send(
        sessionRequest()
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(payload)));
  }

  /** A request to the (next) endpoint with this query. */
  public HttpRequest.Builder request(String query) {
    URI endpoint = endpoints.get(next.getAndIncrement() % endpoints.size());
    return HttpRequest.newBuilder(URI.create(endpoint + "?" + query))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpRequest.Builder sessionRequest() {
    return request("EIO=4&transport=polling&sid=" + sid);
  }

  /** Sends any request, waiting for its answer. */
  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
