package io.realtimegateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Redis Sentinel deployment on loopback: one master, one replica and three sentinels monitoring
 * {@code mymaster} with quorum 2 and a 1 s down-after period, so a killed master is replaced within
 * a few seconds. Every process is a real {@code redis-server} ({@link RedisServer}); the
 * constructor returns once the replica is in sync and every sentinel knows the master, the replica
 * and the two other sentinels, the state a failover needs.
 */
public final class RedisSentinelTopology implements AutoCloseable {

  private static final String MASTER_NAME = "mymaster";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int SENTINELS = 3;

  private final List<RedisServer> servers = new ArrayList<>();
  private final List<RedisServer> sentinels = new ArrayList<>();
  private volatile int killedMasterPort = -1;

  private RedisSentinelTopology() {}

  /** Starts the five processes and waits until the topology can fail over. */
  public static RedisSentinelTopology start() {
    RedisSentinelTopology topology = new RedisSentinelTopology();
    try {
      topology.startProcesses();
      return topology;
    } catch (RuntimeException | Error e) {
      topology.close();
      throw e;
    }
  }

  private void startProcesses() {
    // Full sync at once: the default waits 5 s (repl-diskless-sync-delay) for more replicas.
    RedisServer master = RedisServer.start("--repl-diskless-sync-delay", "0");
    servers.add(master);
    RedisServer replica =
        RedisServer.start("--replicaof", "127.0.0.1", String.valueOf(master.port()));
    servers.add(replica);
    await("replica of " + master + " in sync")
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                info(master, "replication").contains("connected_slaves:1")
                    && info(replica, "replication").contains("master_link_status:up"));
    for (int i = 0; i < SENTINELS; i++) {
      sentinels.add(RedisServer.start("sentinel", this::sentinelCommand));
    }
    for (RedisServer sentinel : sentinels) {
      await(sentinel + " monitors " + MASTER_NAME + " with its replica and peers")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Map<String, String> state = masterState(sentinel);
                return String.valueOf(master.port()).equals(state.get("port"))
                    && "master".equals(state.get("flags"))
                    && "1".equals(state.get("num-slaves"))
                    && String.valueOf(SENTINELS - 1).equals(state.get("num-other-sentinels"))
                    && reportedMasterPort(sentinel) == master.port();
              });
    }
  }

  /**
   * {@code redis-server <conf> --sentinel}. The conf is written on a first start only: a sentinel
   * rewrites its own conf with what it learnt, and a restart must keep that.
   */
  private List<String> sentinelCommand(int port, Path dir, boolean fresh) throws IOException {
    Path conf = dir.resolve("sentinel.conf");
    if (fresh) {
      int masterPort = servers.get(0).port();
      Files.writeString(
          conf,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
              "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
              "sentinel failover-timeout " + MASTER_NAME + " 5000",
              "sentinel parallel-syncs " + MASTER_NAME + " 1",
              ""),
          StandardCharsets.UTF_8);
    }
    return List.of("redis-server", conf.toString(), "--sentinel");
  }

  public List<Integer> sentinelPorts() {
    return sentinels.stream().map(RedisServer::port).toList();
  }

  /**
   * {@code redis://127.0.0.1:S1,redis://127.0.0.1:S2,redis://127.0.0.1:S3}, the form {@code
   * quarkus.redis.hosts} takes with {@code quarkus.redis.client-type=sentinel}.
   */
  public String sentinelUrls() {
    return sentinels.stream().map(RedisServer::url).collect(Collectors.joining(","));
  }

  public String masterName() {
    return MASTER_NAME;
  }

  /** The port of the current master, as the first sentinel that answers reports it. */
  public int masterPort() {
    RuntimeException lastFailure = null;
    for (RedisServer sentinel : sentinels) {
      try {
        return reportedMasterPort(sentinel);
      } catch (RuntimeException e) {
        lastFailure = e;
      }
    }
    throw new IllegalStateException("no sentinel answers", lastFailure);
  }

  /** The data node (master or replica) listening on {@code port}. */
  public RedisServer server(int port) {
    return servers.stream()
        .filter(server -> server.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no data node on port " + port));
  }

  /** SIGKILLs the current master; returns its port. */
  public int killMaster() {
    int port = masterPort();
    server(port).kill();
    killedMasterPort = port;
    return port;
  }

  /**
   * Waits until every sentinel reports a master other than the one {@link #killMaster} killed (or,
   * without a kill, other than the current one) and that node answers as a master; returns its
   * port.
   */
  public int awaitFailover(Duration timeout) {
    int previous = killedMasterPort >= 0 ? killedMasterPort : masterPort();
    await("sentinels promote a master other than port " + previous)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              int candidate = reportedMasterPort(sentinels.get(0));
              if (candidate == previous) {
                return false;
              }
              for (RedisServer sentinel : sentinels) {
                if (reportedMasterPort(sentinel) != candidate) {
                  return false;
                }
              }
              return info(server(candidate), "replication").contains("role:master");
            });
    killedMasterPort = -1;
    return masterPort();
  }

  /** Kills every process and deletes their directories. */
  @Override
  public void close() {
    sentinels.forEach(RedisServer::close);
    servers.forEach(RedisServer::close);
  }

  private static int reportedMasterPort(RedisServer sentinel) {
    Object reply = sentinel.command("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
    if (!(reply instanceof List<?> address) || address.size() != 2) {
      throw new IllegalStateException(sentinel + " knows no " + MASTER_NAME + ": " + reply);
    }
    return Integer.parseInt((String) address.get(1));
  }

  /** {@code SENTINEL MASTER mymaster}: a flat field / value list, as a map. */
  private static Map<String, String> masterState(RedisServer sentinel) {
    List<?> fields = (List<?>) sentinel.command("SENTINEL", "MASTER", MASTER_NAME);
    Map<String, String> state = new HashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      state.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
    }
    return state;
  }

  private static String info(RedisServer server, String section) {
    return (String) server.command("INFO", section);
  }
}
