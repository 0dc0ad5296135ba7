package io.realtimegateway.presence.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.realtimegateway.presence.UsagePool;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Open WebUI's {@code {prefix}:usage_pool} hash: model -> JSON {@code {sid: {"updated_at"}}}.
 * Updated read-modify-write like Open WebUI does; a lost concurrent update is repaired by the next
 * {@code usage} event one second later.
 */
public final class RedisUsagePool implements UsagePool {

  private final ReactiveHashCommands<String, String, String> hashes;
  private final RedisKeys keys;
  private final ObjectMapper json;
  private final JsonValues values;

  public RedisUsagePool(ReactiveRedisDataSource redis, RedisKeys keys, ObjectMapper json) {
    this.hashes = redis.hash(String.class);
    this.keys = keys;
    this.json = json;
    this.values = new JsonValues(json);
  }

  @Override
  public Uni<Void> update(String model, String sid, long nowSeconds) {
    return hashes
        .hget(keys.usagePool(), model)
        .chain(
            value -> {
              ObjectNode sids =
                  values.object(keys.usagePool(), model, value).orElseGet(json::createObjectNode);
              sids.putObject(sid).put("updated_at", nowSeconds);
              return hashes.hset(keys.usagePool(), model, values.write(sids));
            })
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> removeSession(String sid) {
    return removeWhere(Set.of(sid)::contains, entry -> false).replaceWithVoid();
  }

  /** Removes the sessions of a replica that is gone. */
  public Uni<Integer> removeSessions(Set<String> sids) {
    return removeWhere(sids::contains, entry -> false);
  }

  @Override
  public Uni<Set<String>> modelIds() {
    return hashes.hkeys(keys.usagePool()).map(Set::copyOf);
  }

  @Override
  public Uni<Integer> removeUpdatedBefore(long cutoffSeconds) {
    return removeWhere(sid -> false, entry -> entry.path("updated_at").asLong() < cutoffSeconds);
  }

  private Uni<Integer> removeWhere(Predicate<String> sidMatches, Predicate<JsonNode> entryMatches) {
    return hashes
        .hgetall(keys.usagePool())
        .chain(
            all -> {
              List<Uni<Integer>> writes = new ArrayList<>();
              int removed = 0;
              for (Map.Entry<String, String> model : all.entrySet()) {
                var parsed = values.object(keys.usagePool(), model.getKey(), model.getValue());
                if (parsed.isEmpty()) {
                  continue;
                }
                ObjectNode sids = parsed.get();
                int before = sids.size();
                Iterator<Map.Entry<String, JsonNode>> it = sids.fields();
                while (it.hasNext()) {
                  Map.Entry<String, JsonNode> entry = it.next();
                  if (sidMatches.test(entry.getKey()) || entryMatches.test(entry.getValue())) {
                    it.remove();
                  }
                }
                if (sids.size() == before) {
                  continue;
                }
                removed += before - sids.size();
                writes.add(
                    sids.isEmpty()
                        ? hashes.hdel(keys.usagePool(), model.getKey())
                        : hashes
                            .hset(keys.usagePool(), model.getKey(), values.write(sids))
                            .replaceWith(0));
              }
              int count = removed;
              return writes.isEmpty()
                  ? Uni.createFrom().item(count)
                  : Uni.join().all(writes).andFailFast().replaceWith(count);
            });
  }
}
