package io.realtimegateway.config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps Open WebUI's Redis settings onto quarkus-redis-client, so a deployment's existing
 * environment works unchanged:
 *
 * <ul>
 *   <li>{@code WEBSOCKET_REDIS_URL} (default {@code REDIS_URL}, then {@code
 *       redis://localhost:6379}) is the server;
 *   <li>{@code WEBSOCKET_SENTINEL_HOSTS} / {@code REDIS_SENTINEL_HOSTS} (comma-separated, port
 *       {@code WEBSOCKET_SENTINEL_PORT} / {@code REDIS_SENTINEL_PORT}, default 26379; an entry may
 *       also carry its own {@code host:port}) turn on Sentinel; the master name is the URL's host,
 *       as in Open WebUI;
 *   <li>{@code WEBSOCKET_REDIS_CLUSTER} / {@code REDIS_CLUSTER} = true turns on Cluster, the URL
 *       being a seed node.
 * </ul>
 *
 * Only the Open WebUI names are read here; explicit {@code quarkus.redis.*} settings (ordinal 300
 * in the environment, or system properties) still win.
 */
public class OpenWebUiRedisConfigSource implements ConfigSource {

  /** Above application.properties (250), below environment variables (300). */
  static final int ORDINAL = 275;

  /** Name of this source, as config values report it. */
  static final String NAME = "open-webui-redis-environment";

  private final Map<String, String> properties;

  public OpenWebUiRedisConfigSource() {
    this(System::getenv);
  }

  OpenWebUiRedisConfigSource(Function<String, String> environment) {
    this.properties = Map.copyOf(map(environment));
  }

  static Map<String, String> map(Function<String, String> env) {
    Map<String, String> quarkus = new HashMap<>();
    String url = first(env, "WEBSOCKET_REDIS_URL", "REDIS_URL");
    String sentinels = first(env, "WEBSOCKET_SENTINEL_HOSTS", "REDIS_SENTINEL_HOSTS");
    String cluster = first(env, "WEBSOCKET_REDIS_CLUSTER", "REDIS_CLUSTER");
    if (url == null && sentinels == null) {
      return quarkus;
    }
    if (sentinels != null) {
      // Read by hand: master names such as "redis_master" are not valid URI hosts for Java.
      RedisUrl server = RedisUrl.parse(url == null ? "redis://mymaster" : url);
      String port = first(env, "WEBSOCKET_SENTINEL_PORT", "REDIS_SENTINEL_PORT");
      String sentinelPort = port == null ? "26379" : port;
      String credentials = server.userInfo().isEmpty() ? "" : server.userInfo() + "@";
      quarkus.put(
          "quarkus.redis.hosts",
          Arrays.stream(sentinels.split(","))
              .map(String::trim)
              .filter(host -> !host.isEmpty())
              .map(host -> host.contains(":") ? host : host + ":" + sentinelPort)
              .map(host -> "redis://" + credentials + host + server.path())
              .collect(Collectors.joining(",")));
      quarkus.put("quarkus.redis.client-type", "sentinel");
      quarkus.put(
          "quarkus.redis.master-name", server.host().isEmpty() ? "mymaster" : server.host());
      quarkus.put("quarkus.redis.role", "master");
    } else {
      quarkus.put("quarkus.redis.hosts", url);
      if (isTrue(cluster)) {
        quarkus.put("quarkus.redis.client-type", "cluster");
      }
    }
    return quarkus;
  }

  /** The parts of a {@code redis://[user:password@]host[:port][/db]} URL that Sentinel needs. */
  record RedisUrl(String userInfo, String host, String path) {
    static RedisUrl parse(String url) {
      int scheme = url.indexOf("://");
      String rest = scheme < 0 ? url : url.substring(scheme + 3);
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash);
      int at = authority.lastIndexOf('@');
      String userInfo = at < 0 ? "" : authority.substring(0, at);
      String hostPort = at < 0 ? authority : authority.substring(at + 1);
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      return new RedisUrl(userInfo, host, path);
    }
  }

  private static String first(Function<String, String> env, String... names) {
    for (String name : names) {
      String value = env.apply(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  private static boolean isTrue(String value) {
    return value != null && Set.of("true", "1", "yes", "on").contains(value.toLowerCase());
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
