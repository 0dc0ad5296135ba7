package io.realtimegateway.fuzz;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The heap of the gateway process, read through JMX after a full collection. The JDK attach API
 * starts the local management agent in the gateway's JVM (no flag, no port), so the test can call
 * {@link MemoryMXBean#gc()} there: {@code System.gc()}, a full, compacting collection with G1. The
 * figure is the sum of the heap pools' usage right after that collection ({@link
 * MemoryPoolMXBean#getCollectionUsage()}): the live set, without what the JMX calls themselves
 * allocate afterwards.
 */
final class GatewayHeap implements AutoCloseable {

  private static final int ROUNDS = 3;
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

  private final long pid;
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final List<MemoryPoolMXBean> heapPools;

  private GatewayHeap(long pid, JMXConnector connector) throws IOException {
    this.pid = pid;
    this.connector = connector;
    MBeanServerConnection server = connector.getMBeanServerConnection();
    this.memory =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    this.heapPools =
        ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class).stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
  }

  static GatewayHeap attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    return new GatewayHeap(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
  }

  /** Live heap bytes: the smallest of three full collections, so a late cleaner does not count. */
  long liveBytes() {
    long smallest = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      memory.gc();
      long live = 0;
      for (MemoryPoolMXBean pool : heapPools) {
        live += pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
      }
      smallest = Math.min(smallest, live);
    }
    return smallest;
  }

  /**
   * Live instances and bytes per class ({@code jcmd <pid> GC.class_histogram}, after a full GC):
   * what a failure message shows to say where the heap grew.
   */
  Map<String, long[]> histogram() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    Map<String, long[]> classes = new HashMap<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        Matcher row = HISTOGRAM_ROW.matcher(line);
        if (row.matches()) {
          classes.put(
              row.group(3),
              new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        }
      }
    }
    jcmd.waitFor(30, TimeUnit.SECONDS);
    return classes;
  }

  /** The classes whose live bytes grew most between two histograms, one per line. */
  static String growth(Map<String, long[]> before, Map<String, long[]> after, int limit) {
    return after.entrySet().stream()
        .map(
            entry -> {
              long[] old = before.getOrDefault(entry.getKey(), new long[2]);
              long[] now = entry.getValue();
              return Map.entry(entry.getKey(), new long[] {now[0] - old[0], now[1] - old[1]});
            })
        .sorted(Comparator.comparingLong(entry -> -entry.getValue()[1]))
        .limit(limit)
        .map(
            entry ->
                String.format(
                    "  %+,12d bytes %+,9d instances %s",
                    entry.getValue()[1], entry.getValue()[0], entry.getKey()))
        .collect(Collectors.joining("\n"));
  }

  /** Collector names, for the report (the measurement assumes a compacting full GC). */
  String collectors() {
    return heapPools.stream().map(MemoryPoolMXBean::getName).toList().toString();
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
