package io.realtimegateway.cluster.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.SessionIds;
import io.realtimegateway.engine.SessionOwners;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisModeOff;
import io.realtimegateway.redis.ReplicaId;
import io.realtimegateway.redis.SharedRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The HTTP addresses of the gateway replicas, kept in Redis ({@code {prefix}:gateway:addresses},
 * node id -> host:port) and in memory, so that a poll for a session held by another replica is
 * forwarded there. A replica's tag is the first 24 bits of its node id; the sids it makes carry it.
 * Each replica writes its address and reads the others' at every liveness heartbeat; the survivors
 * remove a dead replica's address with the rest of what it left ({@link ReplicaLiveness}).
 */
@Singleton
@Typed(PeerAddresses.class)
public final class PeerAddresses implements SessionOwners {

  private static final int TAG_HEX_DIGITS = 6;
  private static final int DEFAULT_HTTP_PORT = 8080;
  private static final int DEFAULT_TEST_PORT = 8081;
  private static final Duration REREAD_INTERVAL = Duration.ofSeconds(1);

  private final ReactiveHashCommands<String, String, String> hashes;
  private final RedisKeys keys;
  private final String nodeId;
  private final int localTag;
  private final Optional<String> configuredAddress;
  private final AtomicLong lastReread =
      new AtomicLong(System.nanoTime() - REREAD_INTERVAL.toNanos());
  private volatile Map<Integer, SocketAddress> peers = Map.of();
  private volatile String ownAddress;
  private volatile boolean left;

  public PeerAddresses(
      @SharedRedis ReactiveRedisDataSource redis, GatewayConfig config, ReplicaId replica) {
    this.hashes = redis.hash(String.class);
    this.keys = new RedisKeys(config.cluster().keyPrefix());
    this.nodeId = replica.value();
    this.localTag = tagOf(nodeId);
    this.configuredAddress = config.cluster().advertisedAddress().map(String::trim);
  }

  @Override
  public int localTag() {
    return localTag;
  }

  /**
   * From memory; a tag not known there is looked up in Redis (a replica that started since the last
   * refresh), at most once per {@link #REREAD_INTERVAL}, so unknown sids cannot flood Redis.
   */
  @Override
  public Uni<Optional<SocketAddress>> ownerOf(String sid) {
    OptionalInt tag = SessionIds.tagOf(sid);
    if (tag.isEmpty() || tag.getAsInt() == localTag) {
      return Uni.createFrom().item(Optional.empty());
    }
    SocketAddress known = peers.get(tag.getAsInt());
    if (known != null) {
      return Uni.createFrom().item(Optional.of(known));
    }
    long now = System.nanoTime();
    long last = lastReread.get();
    if (now - last < REREAD_INTERVAL.toNanos() || !lastReread.compareAndSet(last, now)) {
      return Uni.createFrom().item(Optional.empty());
    }
    return hashes
        .hgetall(keys.nodeAddresses())
        .invoke(this::remember)
        .map(ignored -> Optional.ofNullable(peers.get(tag.getAsInt())))
        .onFailure()
        .recoverWithItem(Optional.empty());
  }

  /** Writes this replica's address and reads the others'. */
  @Scheduled(
      identity = "peer-addresses",
      every = "${gateway.cluster.node-heartbeat:3s}",
      concurrentExecution = ConcurrentExecution.SKIP,
      skipExecutionIf = RedisModeOff.class)
  Uni<Void> refresh() {
    if (left) {
      return Uni.createFrom().voidItem();
    }
    return hashes
        .hset(keys.nodeAddresses(), nodeId, ownAddress())
        .chain(() -> hashes.hgetall(keys.nodeAddresses()))
        .invoke(this::remember)
        .replaceWithVoid()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.debugf("node %s: replica addresses not refreshed: %s", nodeId, failure);
              return null;
            });
  }

  /** This replica drains: its address is not written again (the drain removes it). */
  void leave() {
    left = true;
  }

  /** Removes a replica's address: it is gone (or this one is shutting down). */
  Uni<Void> forget(String node) {
    return hashes.hdel(keys.nodeAddresses(), node).replaceWithVoid();
  }

  private void remember(Map<String, String> addresses) {
    Map<Integer, SocketAddress> byTag = new HashMap<>();
    addresses.forEach(
        (node, address) -> {
          if (node.equals(nodeId) || !isNodeId(node)) {
            return;
          }
          int tag = tagOf(node);
          if (tag == localTag) {
            // 1 in 16 million per pair: polls for the other replica's sessions would be refused
            // here, and its clients reconnect. A restart of either replica draws a new id.
            Log.warnf("replica %s has this replica's tag (%s); restart one of them", node, nodeId);
            return;
          }
          parse(address).ifPresent(parsed -> byTag.put(tag, parsed));
        });
    peers = Map.copyOf(byTag);
  }

  private String ownAddress() {
    String address = ownAddress;
    if (address == null) {
      address = advertisedAddress();
      ownAddress = address;
      Log.infof("node %s: other replicas forward polls to %s", nodeId, address);
    }
    return address;
  }

  private String advertisedAddress() {
    String host;
    int port = httpPort();
    if (configuredAddress.isPresent() && !configuredAddress.get().isEmpty()) {
      Optional<SocketAddress> parsed = parse(configuredAddress.get());
      if (parsed.isPresent()) {
        return parsed.get().host() + ":" + parsed.get().port();
      }
      host = configuredAddress.get();
    } else {
      try {
        host = InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        host = InetAddress.getLoopbackAddress().getHostAddress();
      }
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static int httpPort() {
    boolean test = LaunchMode.current() == LaunchMode.TEST;
    return ConfigProvider.getConfig()
        .getOptionalValue(test ? "quarkus.http.test-port" : "quarkus.http.port", Integer.class)
        .orElse(test ? DEFAULT_TEST_PORT : DEFAULT_HTTP_PORT);
  }

  /** {@code host:port} (an IPv6 host in brackets); empty when it is not one. */
  static Optional<SocketAddress> parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      return Optional.empty();
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      return port > 0 && port < 65536
          ? Optional.of(SocketAddress.inetSocketAddress(port, host))
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isNodeId(String node) {
    return node.length() >= TAG_HEX_DIGITS
        && node.chars().limit(TAG_HEX_DIGITS).allMatch(c -> Character.digit(c, 16) >= 0);
  }

  static int tagOf(String nodeId) {
    return Integer.parseInt(nodeId.substring(0, TAG_HEX_DIGITS), 16);
  }
}
