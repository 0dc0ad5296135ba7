package io.realtimegateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-master Redis Cluster on loopback (no replicas, 2 s node timeout), built with {@code
 * redis-cli --cluster create} as an operator would. Each node is a real {@code redis-server} in its
 * own directory; its cluster bus listens on a second free port ({@code cluster-port}) rather than
 * on port + 10000, which may be taken or beyond 65535. The constructor returns once every node
 * reports {@code cluster_state:ok}.
 */
public final class RedisClusterTopology implements AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> nodes = new ArrayList<>();

  private RedisClusterTopology() {}

  /** Starts the three nodes, joins them into one cluster and waits until it serves every slot. */
  public static RedisClusterTopology start() {
    RedisClusterTopology topology = new RedisClusterTopology();
    try {
      topology.startNodes();
      return topology;
    } catch (RuntimeException | Error e) {
      topology.close();
      throw e;
    }
  }

  private void startNodes() {
    for (int i = 0; i < MASTERS; i++) {
      nodes.add(RedisServer.start("redis-cluster", new ClusterNodeLauncher()));
    }
    createCluster();
    for (RedisServer node : nodes) {
      await(node + " reports cluster_state:ok")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ((String) node.command("CLUSTER", "INFO")).contains("cluster_state:ok"));
    }
  }

  private void createCluster() {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path log = nodes.get(0).dir().resolve("cluster-create.log");
    try {
      Process cli =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished = cli.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        cli.destroyForcibly().waitFor();
      }
      if (!finished || cli.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + (finished ? " exited with code " + cli.exitValue() : " timed out")
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run redis-cli (apt-get install redis-tools)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
  }

  /** The client ports of the three masters. */
  public List<Integer> ports() {
    return nodes.stream().map(RedisServer::port).toList();
  }

  /** {@code redis://127.0.0.1:P} of the first node: a cluster client discovers the others. */
  public String seedUrl() {
    return nodes.get(0).url();
  }

  /** The node listening on {@code port}, to kill or command it directly. */
  public RedisServer node(int port) {
    return nodes.stream()
        .filter(node -> node.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cluster node on port " + port));
  }

  /** The port of the master that serves {@code key}: {@code CLUSTER KEYSLOT}, then slot ranges. */
  public int portOwning(String key) {
    long slot = (Long) nodes.get(0).command("CLUSTER", "KEYSLOT", key);
    for (Object range : (List<?>) nodes.get(0).command("CLUSTER", "SLOTS")) {
      List<?> entry = (List<?>) range;
      if ((Long) entry.get(0) <= slot && slot <= (Long) entry.get(1)) {
        return ((Long) ((List<?>) entry.get(2)).get(1)).intValue();
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }

  /** Kills every node and deletes their directories. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  /**
   * Cluster mode on {@code port}, with the bus on a free port chosen once per fresh start and kept
   * across restarts (the other nodes know the node by it).
   */
  private static final class ClusterNodeLauncher implements RedisServer.Launcher {
    private int busPort;

    @Override
    public List<String> command(int port, Path dir, boolean fresh) {
      if (fresh) {
        busPort = RedisServer.freePort();
      }
      List<String> command = new ArrayList<>(RedisServer.defaultArgs(port, dir));
      command.addAll(
          List.of(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes-" + port + ".conf",
              "--cluster-node-timeout",
              "2000",
              "--cluster-port",
              String.valueOf(busPort)));
      return command;
    }
  }
}
