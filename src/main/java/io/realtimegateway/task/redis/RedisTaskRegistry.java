package io.realtimegateway.task.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.redis.SharedRedis;
import io.realtimegateway.task.TaskEntry;
import io.realtimegateway.task.TaskRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open WebUI's task registry in Redis ({@code {prefix}:tasks} hash and {@code
 * {prefix}:tasks:item:{item}} sets), shared with its Python instances, plus the gateway's own
 * bookkeeping: a record per task ({@code {prefix}:gateway:task:{id}}: owner, item, replica) that
 * expires after {@code REDIS_TASK_TTL} unless the replica running the task renews it, the task ids
 * of each replica (so survivors remove a dead replica's tasks) and short-lived stop markers.
 *
 * <p>Every command names one key, so the same code runs on standalone, Sentinel and Cluster.
 */
@Singleton
@Typed(RedisTaskRegistry.class)
public final class RedisTaskRegistry implements TaskRegistry {

  private final ReactiveHashCommands<String, String, String> hashes;
  private final ReactiveSetCommands<String, String> sets;
  private final ReactiveValueCommands<String, String> values;
  private final ReactiveKeyCommands<String> keyCommands;
  private final ReactivePubSubCommands<String> pubsub;
  private final RedisKeys keys;
  private final String nodeId;
  private final Duration ttl;
  private final Duration stopMarkerTtl;
  private final ObjectMapper json;

  /** The tasks this replica runs: what it renews, and writes again after Redis lost its data. */
  private final Map<String, TaskEntry> own = new ConcurrentHashMap<>();

  public RedisTaskRegistry(
      @SharedRedis ReactiveRedisDataSource redis,
      GatewayConfig config,
      ReplicaId replica,
      ObjectMapper json) {
    this.hashes = redis.hash(String.class);
    this.sets = redis.set(String.class);
    this.values = redis.value(String.class);
    this.keyCommands = redis.key();
    this.pubsub = redis.pubsub(String.class);
    this.keys = new RedisKeys(config.cluster().keyPrefix());
    this.nodeId = replica.value();
    this.ttl = config.tasks().effectiveTtl();
    this.stopMarkerTtl = config.tasks().stopMarkerTtl();
    this.json = json;
  }

  @Override
  public Uni<Void> add(TaskEntry task) {
    own.put(task.taskId(), task);
    // A task that could not be listed does not start; what was written is pruned at the renewal.
    return write(task).onFailure().invoke(() -> own.remove(task.taskId()));
  }

  private Uni<Void> write(TaskEntry task) {
    SetArgs expiry = ttl.isZero() ? new SetArgs() : new SetArgs().px(ttl);
    Uni<Void> listed =
        sets.sadd(keys.nodeTasks(nodeId), task.taskId())
            .chain(() -> values.set(keys.taskRecord(task.taskId()), record(task), expiry))
            .chain(() -> hashes.hset(keys.tasks(), task.taskId(), task.itemId()))
            .replaceWithVoid();
    if (task.itemId().isEmpty()) {
      return listed;
    }
    return listed
        .chain(() -> sets.sadd(keys.itemTasks(task.itemId()), task.taskId()))
        .replaceWithVoid();
  }

  /**
   * Writes a task of this replica again (renewal, Redis lost it), unless it has ended: a task that
   * ends while its entry is being written again is unlisted once more afterwards, so an ended task
   * never stays listed.
   */
  private Uni<Void> rewrite(TaskEntry task) {
    if (!own.containsKey(task.taskId())) {
      return Uni.createFrom().voidItem();
    }
    return write(task)
        .chain(
            () -> own.containsKey(task.taskId()) ? Uni.createFrom().voidItem() : forgetOwn(task));
  }

  @Override
  public Uni<Void> remove(TaskEntry task) {
    own.remove(task.taskId());
    return forgetOwn(task);
  }

  /** Unlists a task of this replica and drops it from the replica's task set. */
  private Uni<Void> forgetOwn(TaskEntry task) {
    return unlist(task.taskId(), task.itemId())
        .chain(() -> sets.srem(keys.nodeTasks(nodeId), task.taskId()))
        .replaceWithVoid();
  }

  /**
   * Removes a task from Open WebUI's lists and drops its record, in one round trip; every step is
   * idempotent. As in Open WebUI, the item's set goes away with its last member (SREM deletes it).
   */
  private Uni<Void> unlist(String taskId, String itemId) {
    List<Uni<?>> steps = new ArrayList<>(3);
    steps.add(hashes.hdel(keys.tasks(), taskId));
    steps.add(keyCommands.del(keys.taskRecord(taskId)));
    if (!itemId.isEmpty()) {
      steps.add(sets.srem(keys.itemTasks(itemId), taskId));
    }
    return Uni.combine().all().unis(steps).discardItems();
  }

  @Override
  public Uni<List<String>> taskIds() {
    return hashes.hkeys(keys.tasks()).map(List::copyOf);
  }

  @Override
  public Uni<List<String>> taskIdsOf(String itemId) {
    return sets.smembers(keys.itemTasks(itemId)).map(List::copyOf);
  }

  /** The hash entry and the gateway's record are read at once: one round trip. */
  @Override
  public Uni<Optional<TaskEntry>> find(String taskId) {
    Uni<Optional<String>> itemId = hashes.hget(keys.tasks(), taskId).map(Optional::ofNullable);
    Uni<Optional<String>> record = values.get(keys.taskRecord(taskId)).map(Optional::ofNullable);
    return Uni.combine()
        .all()
        .unis(itemId, record)
        .with(
            (item, owner) ->
                item.map(id -> new TaskEntry(taskId, id, owner.map(this::ownerIn).orElse(""))));
  }

  /**
   * As Open WebUI's {@code stop_task}: publish the stop, then remove the task's entries directly.
   * First a stop marker, so an owner that misses the message (cut off from Redis) finds it when its
   * subscription comes back.
   */
  @Override
  public Uni<Boolean> broadcastStop(String taskId, String itemId) {
    long now = System.currentTimeMillis();
    ObjectNode command = json.createObjectNode();
    command.put("action", "stop");
    command.put("task_id", taskId);
    // Not read by Open WebUI; lets the owner measure the stop latency.
    command.put("requested_at", now);
    // Marker and message together: an owner that hears the message stops at once, one that was
    // cut off finds the marker when it is back (it looks at least a renewal interval later).
    Uni<Void> marked =
        values
            .set(keys.taskStopMarker(taskId), Long.toString(now), new SetArgs().px(stopMarkerTtl))
            .replaceWithVoid();
    Uni<Void> published = pubsub.publish(keys.taskCommands(), command.toString());
    return Uni.combine()
        .all()
        .unis(marked, published)
        .discardItems()
        .chain(() -> unlist(taskId, itemId))
        .replaceWith(true);
  }

  /**
   * Writes this replica's tasks again (Redis may have lost them) and answers which of them have a
   * stop marker, with the time each stop was asked for.
   */
  Uni<List<PendingStop>> reassertAndFindStops() {
    List<TaskEntry> tasks = List.copyOf(own.values());
    return Multi.createFrom()
        .iterable(tasks)
        .onItem()
        .transformToUniAndConcatenate(
            task ->
                rewrite(task)
                    .chain(() -> values.get(keys.taskStopMarker(task.taskId())))
                    .map(marker -> PendingStop.of(task.taskId(), marker)))
        .filter(stop -> stop != null)
        .collect()
        .asList();
  }

  /** A stop marker found for a task of this replica. */
  record PendingStop(String taskId, long requestedAt) {

    /** The stop for a marker's value (the request time in epoch ms), or null without a marker. */
    static PendingStop of(String taskId, String marker) {
      if (marker == null) {
        return null;
      }
      try {
        return new PendingStop(taskId, Long.parseLong(marker));
      } catch (NumberFormatException e) {
        return new PendingStop(taskId, 0);
      }
    }
  }

  /**
   * Renews the records of this replica's tasks (writing again any that vanished), removes entries
   * it listed for tasks that are no longer running here (a removal that failed while Redis was
   * away), and answers the stop markers found for its tasks.
   */
  Uni<List<PendingStop>> renew() {
    List<TaskEntry> tasks = List.copyOf(own.values());
    Uni<Void> renewed =
        Multi.createFrom()
            .iterable(tasks)
            .onItem()
            .transformToUniAndConcatenate(
                task ->
                    (ttl.isZero()
                            ? keyCommands.exists(keys.taskRecord(task.taskId()))
                            : keyCommands.pexpire(keys.taskRecord(task.taskId()), ttl))
                        .chain(present -> present ? Uni.createFrom().voidItem() : rewrite(task)))
            .collect()
            .asList()
            .replaceWithVoid();
    return renewed.chain(this::pruneLeftovers).chain(this::reassertAndFindStops);
  }

  private Uni<Void> pruneLeftovers() {
    return sets.smembers(keys.nodeTasks(nodeId))
        .chain(
            listed -> {
              Set<String> leftovers = new HashSet<>(listed);
              leftovers.removeAll(own.keySet());
              return forgetTasks(nodeId, leftovers);
            });
  }

  /** Removes every task of a replica that died from Open WebUI's lists. */
  public Uni<Void> forgetNode(String deadNode) {
    return sets.smembers(keys.nodeTasks(deadNode))
        .chain(ids -> forgetTasks(deadNode, ids))
        .chain(() -> keyCommands.del(keys.nodeTasks(deadNode)))
        .replaceWithVoid();
  }

  private Uni<Void> forgetTasks(String node, Set<String> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Log.infof(
        "node %s: removing %d tasks of replica %s that no longer run", nodeId, ids.size(), node);
    return Multi.createFrom()
        .iterable(new ArrayList<>(ids))
        .onItem()
        .transformToUniAndConcatenate(
            taskId ->
                hashes
                    .hget(keys.tasks(), taskId)
                    .chain(itemId -> unlist(taskId, itemId == null ? "" : itemId))
                    .chain(() -> sets.srem(keys.nodeTasks(node), taskId)))
        .collect()
        .asList()
        .replaceWithVoid();
  }

  private String record(TaskEntry task) {
    ObjectNode record = json.createObjectNode();
    record.put("user_id", task.userId());
    record.put("item_id", task.itemId());
    record.put("node", nodeId);
    return record.toString();
  }

  private String ownerIn(String record) {
    if (record == null) {
      return "";
    }
    try {
      JsonNode parsed = json.readTree(record);
      return parsed.path("user_id").asText("");
    } catch (JsonProcessingException e) {
      Log.debugf("unreadable task record: %s", e.getMessage());
      return "";
    }
  }
}
