package io.realtimegateway.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so each call sends the hash and not the script. A
 * server that does not know the script yet (first call, restart, failover) answers NOSCRIPT, and
 * the call is repeated with {@code EVAL}, which also loads it.
 */
public final class RedisScript {

  private final String source;
  private final String sha1;

  public RedisScript(String source) {
    this.source = source;
    this.sha1 = sha1(source);
  }

  /** Runs the script with its keys and arguments. */
  public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
    return redis
        .execute("EVALSHA", arguments(sha1, keys, args))
        .onFailure(RedisScript::isNoScript)
        .recoverWithUni(() -> redis.execute("EVAL", arguments(source, keys, args)));
  }

  private static String[] arguments(String script, List<String> keys, List<String> args) {
    List<String> all = new ArrayList<>(2 + keys.size() + args.size());
    all.add(script);
    all.add(Integer.toString(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return all.toArray(String[]::new);
  }

  private static boolean isNoScript(Throwable failure) {
    return String.valueOf(failure.getMessage()).startsWith("NOSCRIPT");
  }

  /** Redis names scripts by the SHA1 of their source. */
  private static String sha1(String source) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
