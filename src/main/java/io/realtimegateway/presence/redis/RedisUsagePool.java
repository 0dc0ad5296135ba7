package io.realtimegateway.presence.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.presence.UsagePool;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisScript;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Open WebUI's {@code {prefix}:usage_pool} hash: model -> JSON {@code {sid: {"updated_at"}}}.
 *
 * <p>Open WebUI reads the model's JSON, changes it and writes it back, so two processes updating
 * the same model at once lose one update (with thirty tabs reporting together, most of them). Here
 * every change is one Lua script that Redis runs atomically on the hash, with Redis's own {@code
 * cjson}: gateway replicas never lose each other's updates, and a Python instance's write can only
 * race with its own read. Values that are not JSON objects are left as they are.
 */
@Singleton
@Typed(RedisUsagePool.class)
public final class RedisUsagePool implements UsagePool {

  /** KEYS[1] pool, ARGV[1] model, ARGV[2] sid, ARGV[3] now (s). */
  private static final RedisScript UPDATE =
      new RedisScript(
          """
      local raw = redis.call('HGET', KEYS[1], ARGV[1])
      local sids = {}
      if raw then
        local ok, decoded = pcall(cjson.decode, raw)
        if ok and type(decoded) == 'table' then sids = decoded end
      end
      sids[ARGV[2]] = {updated_at = tonumber(ARGV[3])}
      redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(sids))
      return 1
      """);

  /**
   * KEYS[1] pool, ARGV[1] cutoff (s; entries updated before it go, -1 for none), ARGV[2..] sids
   * that go. Returns how many entries went; a model left without sessions is deleted.
   */
  private static final RedisScript REMOVE =
      new RedisScript(
          """
      local cutoff = tonumber(ARGV[1])
      local gone = {}
      for i = 2, #ARGV do gone[ARGV[i]] = true end
      local all = redis.call('HGETALL', KEYS[1])
      local removed = 0
      for i = 1, #all, 2 do
        local ok, sids = pcall(cjson.decode, all[i + 1])
        if ok and type(sids) == 'table' then
          local changed, left = false, 0
          for sid, entry in pairs(sids) do
            local at = type(entry) == 'table' and tonumber(entry.updated_at) or nil
            if gone[sid] or (cutoff >= 0 and (at == nil or at < cutoff)) then
              sids[sid] = nil
              removed = removed + 1
              changed = true
            else
              left = left + 1
            end
          end
          if changed then
            if left == 0 then
              redis.call('HDEL', KEYS[1], all[i])
            else
              redis.call('HSET', KEYS[1], all[i], cjson.encode(sids))
            end
          end
        end
      end
      return removed
      """);

  private static final String NO_CUTOFF = "-1";

  private final ReactiveRedisDataSource redis;
  private final ReactiveHashCommands<String, String, String> hashes;
  private final RedisKeys keys;

  public RedisUsagePool(@SharedRedis ReactiveRedisDataSource redis, GatewayConfig config) {
    this.redis = redis;
    this.hashes = redis.hash(String.class);
    this.keys = new RedisKeys(config.cluster().keyPrefix());
  }

  @Override
  public Uni<Void> update(String model, String sid, long nowSeconds) {
    return UPDATE
        .run(redis, List.of(keys.usagePool()), List.of(model, sid, Long.toString(nowSeconds)))
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> removeSession(String sid) {
    return remove(NO_CUTOFF, Set.of(sid)).replaceWithVoid();
  }

  /** Removes the sessions of a replica that is gone. */
  public Uni<Integer> removeSessions(Set<String> sids) {
    return sids.isEmpty() ? Uni.createFrom().item(0) : remove(NO_CUTOFF, sids);
  }

  @Override
  public Uni<Set<String>> modelIds() {
    return hashes.hkeys(keys.usagePool()).map(Set::copyOf);
  }

  @Override
  public Uni<Integer> removeUpdatedBefore(long cutoffSeconds) {
    return remove(Long.toString(cutoffSeconds), Set.of());
  }

  private Uni<Integer> remove(String cutoff, Set<String> sids) {
    List<String> args = new ArrayList<>(sids.size() + 1);
    args.add(cutoff);
    args.addAll(sids);
    return REMOVE
        .run(redis, List.of(keys.usagePool()), args)
        .map(response -> response == null ? 0 : response.toInteger());
  }
}
