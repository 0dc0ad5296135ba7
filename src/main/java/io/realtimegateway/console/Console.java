package io.realtimegateway.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.emit.EventEmitter;
import io.realtimegateway.presence.SessionEntry;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.socket.SocketServer;
import io.realtimegateway.task.Tasks;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the console at {@code /console} shows, read from the same services as the HTTP APIs: the
 * session pool, the rooms (with members on every replica), the task registry, the replicas and this
 * replica's traffic. In Redis mode the pool and the registry are the fleet's.
 */
@ApplicationScoped
public class Console {

  /** Most users, rooms and tasks listed; the totals still count every one. */
  static final int MAX_LISTED = 200;

  /** Room member queries in flight at once. */
  private static final int ROOM_QUERIES_AT_ONCE = 16;

  private final SessionPool sessions;
  private final SocketServer sockets;
  private final EventEmitter emitter;
  private final Tasks tasks;
  private final Replicas replicas;
  private final TrafficRates traffic;
  private final boolean redis;

  public Console(
      SessionPool sessions,
      SocketServer sockets,
      EventEmitter emitter,
      Tasks tasks,
      Replicas replicas,
      TrafficRates traffic,
      GatewayConfig config) {
    this.sessions = sessions;
    this.sockets = sockets;
    this.emitter = emitter;
    this.tasks = tasks;
    this.replicas = replicas;
    this.traffic = traffic;
    this.redis = config.cluster().redis();
  }

  /** The console's JSON ({@code GET /internal/v1/console}). */
  @RegisterForReflection
  public record View(
      String mode,
      Totals totals,
      List<UserView> users,
      List<SessionEntry> sessions,
      List<RoomView> rooms,
      List<TaskView> tasks,
      List<ReplicaView> replicas,
      List<TrafficRates.Sample> traffic) {}

  /** How many of each there are (lists stop at {@link #MAX_LISTED}). */
  @RegisterForReflection
  public record Totals(
      int sessions,
      int users,
      int rooms,
      int tasks,
      @JsonProperty("local_sockets") int localSockets) {}

  /** A user with sessions. */
  @RegisterForReflection
  public record UserView(String id, String name, int sessions) {}

  /** A room and its members on every gateway replica. */
  @RegisterForReflection
  public record RoomView(String room, int members) {}

  /** A running task. */
  @RegisterForReflection
  public record TaskView(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("chat_id") String chatId,
      @JsonProperty("user_id") String userId) {}

  /** A gateway replica. */
  @RegisterForReflection
  public record ReplicaView(
      String id,
      boolean self,
      boolean alive,
      @JsonProperty("last_heartbeat_at") String lastHeartbeatAt) {}

  /** Reads everything the console shows, once. */
  public Uni<View> view() {
    return sessions
        .sessions(Optional.empty())
        .chain(
            entries -> {
              List<SessionEntry> sorted =
                  entries.stream()
                      .sorted(
                          Comparator.comparing(SessionEntry::userId)
                              .thenComparing(SessionEntry::sid))
                      .toList();
              return users(sorted)
                  .chain(
                      users ->
                          Uni.combine()
                              .all()
                              .unis(rooms(sorted, users), taskViews(), replicaViews())
                              .with(
                                  (rooms, taskViews, replicaViews) ->
                                      view(sorted, users, rooms, taskViews, replicaViews)));
            });
  }

  private View view(
      List<SessionEntry> entries,
      List<UserView> users,
      List<RoomView> rooms,
      List<TaskView> taskViews,
      List<ReplicaView> replicaViews) {
    List<SessionEntry> sessionViews = entries.stream().limit(MAX_LISTED).toList();
    return new View(
        redis ? "redis" : "memory",
        new Totals(
            entries.size(), users.size(), rooms.size(), taskViews.size(), sockets.socketCount()),
        limit(users),
        sessionViews,
        limit(rooms),
        limit(taskViews),
        replicaViews,
        traffic.recent());
  }

  /** One entry per user, named from the session pool (one look-up per listed user). */
  private Uni<List<UserView>> users(List<SessionEntry> entries) {
    Map<String, List<String>> sidsByUser = new TreeMap<>();
    for (SessionEntry entry : entries) {
      sidsByUser.computeIfAbsent(entry.userId(), id -> new ArrayList<>()).add(entry.sid());
    }
    return Multi.createFrom()
        .iterable(sidsByUser.entrySet().stream().limit(MAX_LISTED).toList())
        .onItem()
        .transformToUniAndConcatenate(
            user ->
                sessions
                    .get(user.getValue().get(0))
                    .map(
                        profile ->
                            new UserView(
                                user.getKey(),
                                profile.map(Console::name).orElse(""),
                                user.getValue().size())))
        .collect()
        .asList()
        .map(
            listed -> {
              List<UserView> all = new ArrayList<>(listed);
              sidsByUser.entrySet().stream()
                  .skip(MAX_LISTED)
                  .forEach(
                      user -> all.add(new UserView(user.getKey(), "", user.getValue().size())));
              return all;
            });
  }

  /**
   * The rooms known here: each user's {@code user:{id}} room, and every room of this replica's
   * sockets except a socket's own; members counted on every replica. Rooms that only sockets of
   * other replicas are in (a channel nobody here joined) are not known to this replica.
   */
  private Uni<List<RoomView>> rooms(List<SessionEntry> entries, List<UserView> users) {
    Set<String> sids = new TreeSet<>();
    entries.forEach(entry -> sids.add(entry.sid()));
    Set<String> names = new TreeSet<>();
    users.forEach(user -> names.add("user:" + user.id()));
    for (String sid : sids) {
      for (String room : sockets.mainNamespace().rooms().rooms(sid)) {
        if (!sids.contains(room)) {
          names.add(room);
        }
      }
    }
    return Multi.createFrom()
        .iterable(names.stream().limit(MAX_LISTED).toList())
        .onItem()
        .transformToUni(
            room -> emitter.roomMembers(room).map(members -> new RoomView(room, members.size())))
        // In Redis mode each query waits for every replica (up to the room query timeout): in
        // parallel, one slow replica costs one timeout, not one per room.
        .merge(ROOM_QUERIES_AT_ONCE)
        .filter(room -> room.members() > 0)
        .collect()
        .asList()
        .map(rooms -> rooms.stream().sorted(Comparator.comparing(RoomView::room)).toList());
  }

  private Uni<List<TaskView>> taskViews() {
    return tasks
        .taskIds()
        .chain(
            ids ->
                Multi.createFrom()
                    .iterable(ids.stream().sorted().limit(MAX_LISTED).toList())
                    .onItem()
                    .transformToUniAndConcatenate(
                        id ->
                            tasks
                                .find(id)
                                .map(
                                    found ->
                                        found
                                            .map(
                                                task ->
                                                    new TaskView(id, task.itemId(), task.userId()))
                                            .orElse(new TaskView(id, "", ""))))
                    .collect()
                    .asList());
  }

  private Uni<List<ReplicaView>> replicaViews() {
    return replicas
        .replicas()
        .map(
            list ->
                list.stream()
                    .map(
                        replica ->
                            new ReplicaView(
                                replica.id(),
                                replica.self(),
                                replica.alive(),
                                replica.lastHeartbeat().map(Object::toString).orElse(null)))
                    .toList());
  }

  private static String name(ObjectNode profile) {
    return profile.path("name").asText("");
  }

  private static <T> List<T> limit(List<T> list) {
    return list.size() > MAX_LISTED ? List.copyOf(list.subList(0, MAX_LISTED)) : list;
  }
}
