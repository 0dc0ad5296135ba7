package io.realtimegateway.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.WriteBarrier;
import io.realtimegateway.presence.SessionEntry;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.protocol.socket.RawJson;
import io.realtimegateway.protocol.socket.SocketPacket;
import io.realtimegateway.room.BroadcastTarget;
import io.realtimegateway.socket.CallTimeoutException;
import io.realtimegateway.socket.EventMeters;
import io.realtimegateway.socket.SessionDisconnectedException;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketServer;
import io.realtimegateway.socket.TooManyCallsException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Java API for backends: push events to rooms or sessions, and call one browser tab and wait
 * for its answer. The HTTP API under {@code /internal/v1} is a thin layer over this class. Created
 * at start-up, so that its metrics exist before the first emit.
 */
@Startup
@ApplicationScoped
public class EventEmitter {

  /** How a call ended, the {@code outcome} tag of {@code gateway.calls}. */
  private enum CallOutcome {
    ANSWERED,
    TIMEOUT,
    DISCONNECTED,
    /** The tab already had its limit of calls waiting. */
    REFUSED,
    FAILED
  }

  private final SocketServer server;
  private final RemoteSessions remote;
  private final SessionPool sessions;
  private final GatewayConfig.Caller callerConfig;
  private final EventMeters events;
  private final Counter emits;
  private final Map<CallOutcome, Timer> calls = new EnumMap<>(CallOutcome.class);

  public EventEmitter(
      SocketServer server,
      RemoteSessions remote,
      SessionPool sessions,
      GatewayConfig config,
      EventMeters events,
      MeterRegistry meters) {
    this.server = server;
    this.remote = remote;
    this.sessions = sessions;
    this.callerConfig = config.caller();
    this.events = events;
    this.emits =
        Counter.builder("gateway.emits")
            .description("Emits accepted from backends (HTTP and Java API), before fan-out")
            .register(meters);
    for (CallOutcome outcome : CallOutcome.values()) {
      calls.put(
          outcome,
          Timer.builder("gateway.calls")
              .description("Calls to a tab, from sending the call to its answer or its end")
              .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(callerConfig.maxTimeout())
              .register(meters));
    }
  }

  /**
   * Emits {@code event} with {@code data} as its single argument on namespace {@code /}.
   *
   * @param rooms target rooms; together with {@code to} empty means every socket
   * @param to a single sid to add to the targets, may be {@code null}
   * @param skipSids sids that must not receive it
   * @return how many sockets of this process received it
   */
  public int emit(String event, JsonNode data, Set<String> rooms, String to, Set<String> skipSids) {
    emits.increment();
    return server.broadcast(SocketPacket.MAIN_NAMESPACE, target(rooms, to, skipSids), event, data);
  }

  /**
   * Emits {@code event} with {@code data} given as JSON text, as a backend sent it; the text goes
   * into the packet as is (no tree is made on a single replica). Same targets as {@link
   * #emit(String, JsonNode, Set, String, Set)}. Emits made one after another from one thread reach
   * each socket in that order.
   *
   * @param data exactly one valid JSON value; not checked again here
   */
  public int emit(String event, RawJson data, Set<String> rooms, String to, Set<String> skipSids) {
    emits.increment();
    return server.broadcast(SocketPacket.MAIN_NAMESPACE, target(rooms, to, skipSids), event, data);
  }

  /**
   * Runs {@code emits} (calls of {@code emit} on this thread), then {@code written} once the frames
   * they queued for sockets on other event loops have been handed to those connections: when the
   * loops are behind, {@code written} waits for them. The backend API answers an emit then, so that
   * a backend emitting as fast as it can is held to what the event loops write (see {@link
   * WriteBarrier}). Nothing waits for a client to read: a slow one is the slow-consumer limit's.
   */
  public void emitThen(Runnable emits, Runnable written) {
    WriteBarrier barrier = WriteBarrier.open();
    boolean emitted = false;
    try {
      emits.run();
      emitted = true;
    } finally {
      if (emitted) {
        barrier.close(written);
      } else {
        barrier.discard();
      }
    }
  }

  private static BroadcastTarget target(Set<String> rooms, String to, Set<String> skipSids) {
    Set<String> targets = rooms;
    if (to != null) {
      targets = new HashSet<>(rooms);
      targets.add(to);
    }
    return new BroadcastTarget(targets, skipSids);
  }

  /**
   * Calls one session: emits {@code event} with an ack id and waits for the browser's answer.
   *
   * @param timeout how long to wait; {@code null} for {@code WEBSOCKET_EVENT_CALLER_TIMEOUT}
   * @return the ack: one argument as is, several as an array, none as JSON null; fails with {@link
   *     SessionDisconnectedException} or {@link CallTimeoutException}, never waits forever
   */
  public Uni<JsonNode> call(String sessionId, String event, JsonNode data, Duration timeout) {
    Duration wait = timeout == null ? callerConfig.timeout() : timeout;
    if (wait.compareTo(callerConfig.maxTimeout()) > 0) {
      wait = callerConfig.maxTimeout();
    }
    Duration bounded = wait;
    return Uni.createFrom()
        .deferred(
            () -> {
              events.sent(event);
              long sent = System.nanoTime();
              Socket socket = server.mainNamespace().socket(sessionId).orElse(null);
              Uni<List<JsonNode>> answer =
                  socket != null
                      ? Uni.createFrom().completionStage(socket.emitWithAck(event, bounded, data))
                      : remote.call(sessionId, event, data, bounded);
              return answer
                  .onTermination()
                  .invoke(
                      (args, failure, cancelled) -> {
                        if (!cancelled) {
                          calls
                              .get(outcomeOf(failure))
                              .record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
                        }
                      });
            })
        .map(EventEmitter::collapse);
  }

  /**
   * Calls a session of {@code userId} only, as Open WebUI's event caller does (spec §5.3 step 1):
   * the session pool must hold {@code sessionId} with that user's {@code id}. Otherwise nothing is
   * sent and the call fails with {@link SessionNotOwnedException}, so that knowing another user's
   * socket id does not let a user make that tab run anything.
   *
   * @see #call(String, String, JsonNode, Duration)
   */
  public Uni<JsonNode> callUserSession(
      String userId, String sessionId, String event, JsonNode data, Duration timeout) {
    return sessions
        .get(sessionId)
        .chain(
            entry -> {
              String owner = entry.map(user -> user.path("id").asText(null)).orElse(null);
              if (owner == null || !owner.equals(userId)) {
                if (owner != null) {
                  Log.warnf(
                      "call %s to session %s refused: the session is not one of user %s's",
                      event, sessionId, userId);
                } else {
                  Log.debugf(
                      "call %s to session %s refused: not in the session pool", event, sessionId);
                }
                return Uni.createFrom().failure(new SessionNotOwnedException(sessionId));
              }
              return call(sessionId, event, data, timeout);
            });
  }

  private static CallOutcome outcomeOf(Throwable failure) {
    if (failure == null) {
      return CallOutcome.ANSWERED;
    }
    if (failure instanceof CallTimeoutException) {
      return CallOutcome.TIMEOUT;
    }
    if (failure instanceof SessionDisconnectedException) {
      return CallOutcome.DISCONNECTED;
    }
    if (failure instanceof TooManyCallsException) {
      return CallOutcome.REFUSED;
    }
    return CallOutcome.FAILED;
  }

  /**
   * Disconnects sessions from the server side: they receive DISCONNECT, which socket.io-client does
   * not retry (Open WebUI's {@code disconnect_user_sessions}, used on role changes).
   *
   * @param sessionIds sids to disconnect
   * @param userIds users whose every session is disconnected
   * @return how many sessions were disconnected here or asked to disconnect elsewhere
   */
  public Uni<Integer> disconnect(Set<String> sessionIds, Set<String> userIds) {
    return targets(sessionIds, userIds)
        .map(
            sids -> {
              for (String sid : sids) {
                Socket socket = server.mainNamespace().socket(sid).orElse(null);
                if (socket != null) {
                  server.disconnect(socket);
                } else {
                  remote.disconnect(sid);
                }
              }
              return sids.size();
            });
  }

  /**
   * Adds sessions, and every session of the users, to a room wherever they are connected (Open
   * WebUI's {@code enter_room_for_users}, e.g. after a channel is created).
   *
   * @return how many sessions were asked to join
   */
  public Uni<Integer> joinRoom(String room, Set<String> sessionIds, Set<String> userIds) {
    return targets(sessionIds, userIds)
        .map(
            sids -> {
              sids.forEach(sid -> server.mainNamespace().rooms().joinAnywhere(sid, room));
              return sids.size();
            });
  }

  /** Removes sessions, and every session of the users, from a room wherever they are. */
  public Uni<Integer> leaveRoom(String room, Set<String> sessionIds, Set<String> userIds) {
    return targets(sessionIds, userIds)
        .map(
            sids -> {
              sids.forEach(sid -> server.mainNamespace().rooms().leaveAnywhere(sid, room));
              return sids.size();
            });
  }

  /** Empties a room on every replica. */
  public void closeRoom(String room) {
    server.mainNamespace().rooms().closeRoom(room);
  }

  private Uni<Set<String>> targets(Set<String> sessionIds, Set<String> userIds) {
    return sessionsOf(userIds)
        .map(
            userSids -> {
              Set<String> sids = new HashSet<>(sessionIds);
              sids.addAll(userSids);
              return sids;
            });
  }

  /** The sessions in a room, on every gateway replica. */
  public Uni<Set<String>> roomMembers(String room) {
    return server.mainNamespace().rooms().allSids(room);
  }

  /** Every session of the users, on every replica (the session pool is shared in Redis mode). */
  private Uni<Set<String>> sessionsOf(Set<String> userIds) {
    if (userIds.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    return sessions
        .sessions(Optional.empty())
        .map(
            entries ->
                entries.stream()
                    .filter(entry -> userIds.contains(entry.userId()))
                    .map(SessionEntry::sid)
                    .collect(Collectors.toSet()));
  }

  private static JsonNode collapse(List<JsonNode> args) {
    if (args.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (args.size() == 1) {
      return args.get(0);
    }
    return JsonNodeFactory.instance.arrayNode().addAll(args);
  }
}
