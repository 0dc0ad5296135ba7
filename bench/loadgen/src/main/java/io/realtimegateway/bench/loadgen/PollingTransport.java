package io.realtimegateway.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO v4 over HTTP long-polling, as socket.io-client polls: a handshake GET whose answer
 * carries OPEN and the sid, then one GET at a time that the server holds until it has packets, and
 * the client's packets in POSTs, one at a time (engine.io refuses two at once), those written
 * meanwhile joined into the next one. A payload is packets separated by the record separator.
 *
 * <p>The handshake goes to {@code --url}; the GETs and POSTs of the session go to {@code
 * --poll-url}, which may be another replica that has to forward them to the one holding the
 * session. Each POST's round trip is recorded ({@link FleetStats#postMicros}).
 */
final class PollingTransport implements ClientTransport {

  static final char SEPARATOR = '\u001e';

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longer than a ping interval (25 s on every server here) plus its timeout. */
  private static final long GET_TIMEOUT_MS = 60_000;

  private static final long POST_TIMEOUT_MS = 30_000;

  private final HttpClient handshakeClient;
  private final HttpClient pollClient;
  private final URI handshakeUrl;
  private final URI pollUrl;
  private final String path;
  private final FleetStats stats;

  private Handler<String> packets;
  private Handler<String> closed;
  private String sid;
  private HttpClientRequest waitingGet;
  private final List<String> outgoing = new ArrayList<>();
  private boolean posting;
  private boolean closing;
  private boolean ended;

  /**
   * @param handshakeClient HTTP client for {@code handshakeUrl}
   * @param pollClient HTTP client for {@code pollUrl} (the same one when the URLs are equal)
   * @param path the Socket.IO path, without a trailing slash
   */
  PollingTransport(
      HttpClient handshakeClient,
      HttpClient pollClient,
      URI handshakeUrl,
      URI pollUrl,
      String path,
      FleetStats stats) {
    this.handshakeClient = handshakeClient;
    this.pollClient = pollClient;
    this.handshakeUrl = handshakeUrl;
    this.pollUrl = pollUrl;
    this.path = path;
    this.stats = stats;
  }

  @Override
  public Future<Void> open(Handler<String> packets, Handler<String> closed) {
    this.packets = packets;
    this.closed = closed;
    RequestOptions handshake =
        options(handshakeUrl, HttpMethod.GET, path + "/?EIO=4&transport=polling", GET_TIMEOUT_MS);
    return handshakeClient
        .request(handshake)
        .compose(HttpClientRequest::send)
        .compose(
            response ->
                response
                    .body()
                    .map(
                        body -> {
                          if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                "handshake answered " + response.statusCode());
                          }
                          return body.toString();
                        }))
        .map(
            payload -> {
              List<String> received = split(payload);
              sid = sidOf(received.isEmpty() ? "" : received.get(0));
              if (closing) {
                end("closed while opening");
                return null;
              }
              received.forEach(packets::handle);
              poll();
              return null;
            });
  }

  @Override
  public void write(String packet) {
    if (closing || ended || sid == null) {
      return;
    }
    outgoing.add(packet);
    flush();
  }

  /** Sends CLOSE, as socket.io-client does on disconnect; the waiting GET then ends. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    if (sid == null || ended) {
      closing = true;
      return;
    }
    outgoing.add("1");
    flush();
    closing = true;
  }

  @Override
  public boolean isClosed() {
    return ended;
  }

  /** One GET: its payload goes to the handler, then the next GET, until the session ends. */
  private void poll() {
    if (ended || closing) {
      if (!posting) {
        end("closed by client");
      }
      return;
    }
    pollClient
        .request(options(pollUrl, HttpMethod.GET, sessionUri(), GET_TIMEOUT_MS))
        .compose(
            request -> {
              waitingGet = request;
              return request.send();
            })
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
        .onComplete(
            ar -> {
              waitingGet = null;
              if (ar.failed()) {
                failed("GET failed: " + ClientConnection.rootMessage(ar.cause()));
                return;
              }
              Answer answer = ar.result();
              if (answer.status() != 200) {
                failed("GET answered " + answer.status());
                return;
              }
              boolean serverClosed = false;
              for (String packet : split(answer.body().toString())) {
                if (packet.equals("1")) {
                  serverClosed = true;
                }
                if (!ended) {
                  packets.handle(packet);
                }
              }
              if (serverClosed) {
                failed("CLOSE from server");
              } else {
                poll();
              }
            });
  }

  /** One POST in flight at a time; packets written meanwhile leave together in the next one. */
  private void flush() {
    if (posting || outgoing.isEmpty() || ended) {
      return;
    }
    String payload = String.join(String.valueOf(SEPARATOR), outgoing);
    outgoing.clear();
    posting = true;
    long start = System.nanoTime();
    RequestOptions post = options(pollUrl, HttpMethod.POST, sessionUri(), POST_TIMEOUT_MS);
    post.putHeader("content-type", "text/plain;charset=UTF-8");
    pollClient
        .request(post)
        .compose(request -> request.send(Buffer.buffer(payload)))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
        .onComplete(
            ar -> {
              posting = false;
              if (ar.failed() || ar.result().status() != 200) {
                if (!closing) {
                  failed(
                      ar.failed()
                          ? "POST failed: " + ClientConnection.rootMessage(ar.cause())
                          : "POST answered " + ar.result().status());
                } else {
                  end("closed by client");
                }
                return;
              }
              FleetStats.recordMicros(stats.postMicros, System.nanoTime() - start);
              if (closing) {
                // The server ends the waiting GET with a NOOP or CLOSE; do not wait for it.
                if (waitingGet != null) {
                  waitingGet.reset();
                }
                end("closed by client");
              } else {
                flush();
              }
            });
  }

  private void failed(String reason) {
    if (closing) {
      end("closed by client");
    } else {
      end(reason);
    }
  }

  private void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (waitingGet != null) {
      waitingGet.reset();
    }
    if (closed != null) {
      closed.handle(reason);
    }
  }

  private String sessionUri() {
    return path + "/?EIO=4&transport=polling&sid=" + sid;
  }

  private static RequestOptions options(URI base, HttpMethod method, String uri, long timeoutMs) {
    return new RequestOptions()
        .setMethod(method)
        .setHost(base.getHost())
        .setPort(base.getPort())
        .setURI(uri)
        .setIdleTimeout(timeoutMs);
  }

  /** The packets of a payload. */
  static List<String> split(String payload) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= payload.length(); i++) {
      if (i == payload.length() || payload.charAt(i) == SEPARATOR) {
        if (i > start) {
          out.add(payload.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The sid of an OPEN packet {@code 0{"sid":...}}. */
  private static String sidOf(String open) {
    if (!open.startsWith("0")) {
      throw new IllegalStateException("handshake without OPEN: " + abbreviate(open));
    }
    try {
      JsonNode sid = JSON.readTree(open.substring(1)).path("sid");
      if (!sid.isTextual()) {
        throw new IllegalStateException("OPEN without sid: " + abbreviate(open));
      }
      return sid.asText();
    } catch (IOException e) {
      throw new IllegalStateException("unparsable OPEN: " + abbreviate(open), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private record Answer(int status, Buffer body) {}
}
