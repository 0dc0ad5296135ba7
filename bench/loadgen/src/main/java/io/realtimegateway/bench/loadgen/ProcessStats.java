package io.realtimegateway.bench.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and RSS of this process and, optionally, of the server, from {@code /proc}. The
 * generator shares the machine's cores with the server, so a phase's report says how much of them
 * each side used.
 */
final class ProcessStats {

  /** Linux USER_HZ; /proc/PID/stat times are in these ticks. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessStats() {}

  static long selfCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return cpuNanos(ProcessHandle.current().pid());
  }

  /** utime + stime of a process, or -1 when it cannot be read. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // the command name may contain spaces: fields are counted after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmRSS of a process in KiB, or -1. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static int openFileDescriptors(long pid) {
    String[] entries = Path.of("/proc", String.valueOf(pid), "fd").toFile().list();
    return entries == null ? -1 : entries.length;
  }

  /** CPU used by this process (and the server) between {@link #start} and {@link #end}. */
  static final class Span {
    private final long serverPid;
    private final long wallStart = System.nanoTime();
    private final long selfStart = selfCpuNanos();
    private final long serverStart;

    private Span(long serverPid) {
      this.serverPid = serverPid;
      this.serverStart = serverPid > 0 ? cpuNanos(serverPid) : -1;
    }

    static Span start(long serverPid) {
      return new Span(serverPid);
    }

    /**
     * Writes {@code <group>.loadgenCpu} and, with a server pid, {@code serverCpu} in % of a core.
     */
    void end(Report report, String group) {
      double wall = System.nanoTime() - wallStart;
      report.metric(
          group, "loadgenCpu", 100.0 * (selfCpuNanos() - selfStart) / wall, "% of one core");
      if (serverPid > 0 && serverStart >= 0) {
        long now = cpuNanos(serverPid);
        if (now >= 0) {
          report.metric(group, "serverCpu", 100.0 * (now - serverStart) / wall, "% of one core");
        }
      }
    }
  }
}
