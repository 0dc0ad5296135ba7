package io.realtimegateway.bench.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Open WebUI's backend as the gateway sees it in Redis mode: {@code PUBLISH socketio <message>}
 * with python-socketio's (5.14+) JSON manager message, written and read as raw RESP on one
 * connection, pipelined. Every method runs on {@link #context}, like {@link Backend}'s.
 */
final class RedisPublisher {

  /** python-socketio's host id: 32 hex digits; the gateway only checks it is not its own. */
  private static final String HOST_ID = "10adc0de10adc0de10adc0de10adc0de";

  final Context context;
  private final String channel;
  private final ArrayDeque<Promise<Integer>> pending = new ArrayDeque<>();
  private NetSocket socket;

  private RedisPublisher(Context context, String channel) {
    this.context = context;
    this.channel = channel;
  }

  /** Connects to {@code redis} from {@code context}; blocks until connected. */
  static RedisPublisher connect(Vertx vertx, Context context, URI redis, String channel) {
    RedisPublisher publisher = new RedisPublisher(context, channel);
    Promise<Void> ready = Promise.promise();
    context.runOnContext(
        v ->
            vertx
                .createNetClient(
                    new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000))
                .connect(redis.getPort(), redis.getHost())
                .onSuccess(
                    socket -> {
                      publisher.socket = socket;
                      socket.handler(RecordParser.newDelimited("\r\n", publisher::onReply));
                      socket.closeHandler(x -> publisher.failAll("connection closed"));
                      ready.complete();
                    })
                .onFailure(ready::fail));
    Backend.await(ready.future(), Duration.ofSeconds(10));
    return publisher;
  }

  /**
   * The manager message of {@code emit("events", data, room=room)}, spaced as Python's {@code
   * json.dumps} writes it; {@code room} and {@code data} are JSON already.
   */
  static String emitMessage(String room, String data) {
    return "{\"method\": \"emit\", \"event\": \"events\", \"data\": ["
        + data
        + "], \"namespace\": \"/\", \"room\": "
        + room
        + ", \"skip_sid\": null, \"callback\": null, \"host_id\": \""
        + HOST_ID
        + "\", \"binary\": false}";
  }

  /**
   * Publishes one message; answers 202 once Redis took it (as the HTTP emit answers), 500 on a
   * Redis error, -1 when the connection is gone. Call on {@link #context}.
   */
  Future<Integer> publish(String message) {
    if (socket == null) {
      return Future.succeededFuture(-1);
    }
    byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    Buffer command =
        Buffer.buffer(body.length + 64)
            .appendString("*3\r\n$7\r\nPUBLISH\r\n$" + channelBytes.length + "\r\n")
            .appendBytes(channelBytes)
            .appendString("\r\n$" + body.length + "\r\n")
            .appendBytes(body)
            .appendString("\r\n");
    Promise<Integer> reply = Promise.promise();
    pending.add(reply);
    socket.write(command);
    return reply.future();
  }

  private void onReply(Buffer line) {
    Promise<Integer> reply = pending.poll();
    if (reply == null) {
      return;
    }
    // PUBLISH answers ":<receivers>"; an error "-ERR ..."
    reply.complete(line.length() > 0 && line.getByte(0) == ':' ? 202 : 500);
  }

  private void failAll(String reason) {
    Promise<Integer> reply;
    while ((reply = pending.poll()) != null) {
      reply.tryComplete(-1);
    }
    socket = null;
    Log.warn("redis publisher: %s", reason);
  }

  void close() {
    context.runOnContext(
        v -> {
          if (socket != null) {
            NetSocket s = socket;
            socket = null;
            s.closeHandler(null);
            s.close();
          }
        });
  }
}
