package io.realtimegateway.presence.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.SessionEntry;
import io.realtimegateway.presence.SessionPool;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open WebUI's {@code {prefix}:session_pool} hash, shared with its Python instances. This replica
 * also lists the sids it holds under its node key, so survivors can remove them if it dies, and
 * remembers what it wrote so it can write it again after Redis lost its data.
 */
@Singleton
@Typed(RedisSessionPool.class)
public final class RedisSessionPool implements SessionPool {

  private final ReactiveHashCommands<String, String, String> hashes;
  private final ReactiveSetCommands<String, String> sets;
  private final RedisKeys keys;
  private final String nodeId;
  private final JsonValues values;
  private final Map<String, ObjectNode> own = new ConcurrentHashMap<>();

  public RedisSessionPool(
      @SharedRedis ReactiveRedisDataSource redis,
      GatewayConfig config,
      ReplicaId replica,
      ObjectMapper json) {
    this.hashes = redis.hash(String.class);
    this.sets = redis.set(String.class);
    this.keys = new RedisKeys(config.cluster().keyPrefix());
    this.nodeId = replica.value();
    this.values = new JsonValues(json);
  }

  @Override
  public Uni<Void> put(String sid, ObjectNode user, long nowSeconds) {
    ObjectNode entry = user.deepCopy();
    entry.put("last_seen_at", nowSeconds);
    own.put(sid, entry);
    return sets.sadd(keys.nodeSessions(nodeId), sid)
        .chain(() -> hashes.hset(keys.sessionPool(), sid, values.write(entry)))
        .replaceWithVoid();
  }

  @Override
  public Uni<Optional<ObjectNode>> get(String sid) {
    return hashes
        .hget(keys.sessionPool(), sid)
        .map(value -> values.object(keys.sessionPool(), sid, value));
  }

  @Override
  public Uni<Boolean> touch(String sid, long nowSeconds) {
    return get(sid)
        .chain(
            entry -> {
              if (entry.isEmpty()) {
                return Uni.createFrom().item(false);
              }
              ObjectNode updated = entry.get().put("last_seen_at", nowSeconds);
              own.computeIfPresent(sid, (key, previous) -> updated);
              return hashes.hset(keys.sessionPool(), sid, values.write(updated)).replaceWith(true);
            });
  }

  @Override
  public Uni<Void> remove(String sid) {
    own.remove(sid);
    return hashes
        .hdel(keys.sessionPool(), sid)
        .chain(() -> sets.srem(keys.nodeSessions(nodeId), sid))
        .replaceWithVoid();
  }

  @Override
  public Uni<List<SessionEntry>> sessions(Optional<String> userId) {
    return hashes
        .hgetall(keys.sessionPool())
        .map(
            all -> {
              List<SessionEntry> entries = new ArrayList<>();
              all.forEach(
                  (sid, value) ->
                      values
                          .object(keys.sessionPool(), sid, value)
                          .filter(user -> user.path("id").isTextual())
                          .filter(
                              user ->
                                  userId.map(id -> id.equals(user.get("id").asText())).orElse(true))
                          .ifPresent(
                              user ->
                                  entries.add(
                                      new SessionEntry(
                                          sid,
                                          user.get("id").asText(),
                                          user.path("last_seen_at").asLong()))));
              return entries;
            });
  }

  @Override
  public Uni<Integer> removeSeenBefore(long cutoffSeconds) {
    return sessions(Optional.empty())
        .chain(
            entries -> {
              String[] stale =
                  entries.stream()
                      .filter(entry -> entry.lastSeenAt() < cutoffSeconds)
                      .map(SessionEntry::sid)
                      .toArray(String[]::new);
              if (stale.length == 0) {
                return Uni.createFrom().item(0);
              }
              for (String sid : stale) {
                own.remove(sid);
              }
              return hashes.hdel(keys.sessionPool(), stale);
            });
  }

  /** Writes this replica's sessions again (Redis restarted empty). */
  public Uni<Void> reassert() {
    if (own.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, String> entries = new HashMap<>();
    own.forEach((sid, entry) -> entries.put(sid, values.write(entry)));
    return hashes
        .hset(keys.sessionPool(), entries)
        .chain(() -> sets.sadd(keys.nodeSessions(nodeId), own.keySet().toArray(String[]::new)))
        .replaceWithVoid();
  }
}
