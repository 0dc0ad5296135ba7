package io.realtimegateway.bench.loadgen;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The five scenarios. Each one checks the servers are ready, opens the fleet, measures, closes
 * everything and leaves its numbers in one {@link Report}; the run is bounded in time at every
 * step, and anything unexpected is counted rather than ignored.
 */
final class Scenarios {

  private static final Duration REQUEST_WAIT = Duration.ofSeconds(60);
  private static final int PROBE_ROUNDS = 10;
  private static final int WARMUP_PHASE = 3;

  private final Vertx vertx;
  private final Options options;
  private final Report report;
  private final List<Context> clientContexts;
  private final Backend clientSide;
  private final Backend emitSide;
  private final RedisPublisher redis;
  private ClientFleet fleet;
  private String serverKind;

  Scenarios(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.report = new Report(options.scenario());
    int loops = options.effectiveEventLoops();
    List<Context> contexts = deployContexts(vertx, loops + 1);
    this.clientContexts = contexts.subList(0, loops);
    Context backendContext = contexts.get(loops);
    int pool = options.effectiveWindow();
    long requestTimeout = options.callTimeoutMs() + 10_000L;
    this.emitSide = new Backend(vertx, backendContext, options.emitUrl(), pool, requestTimeout);
    this.clientSide =
        options.emitUrl().equals(options.url())
            ? emitSide
            : new Backend(vertx, backendContext, options.url(), 8, requestTimeout);
    this.redis =
        options.emitRedis() == null
            ? null
            : RedisPublisher.connect(
                vertx, backendContext, options.emitRedis(), options.redisChannel());
  }

  /** Runs the scenario; a failure ends it early but still yields a report saying why. */
  Report run() {
    recordParameters();
    try {
      serverKind = awaitHealthy(clientSide);
      if (emitSide != clientSide) {
        awaitHealthy(emitSide);
      }
      report.parameter("serverKind", serverKind);
      switch (options.scenario()) {
        case "connect" -> connect();
        case "fanout", "cross" -> fanout();
        case "room" -> room();
        case "calls" -> calls();
        case "tasks" -> tasks();
        case "stop" -> stop();
        default -> throw new IllegalArgumentException(options.scenario());
      }
    } catch (RuntimeException e) {
      // The exception itself, not its message: an earlier run was aborted with the message "null".
      Log.error("aborted: %s", e);
      report.abort(e.toString());
    } finally {
      finish();
    }
    return report;
  }

  // ---- scenarios -------------------------------------------------------------------------

  private void connect() {
    long rssBefore = options.serverPid() > 0 ? ProcessStats.rssKib(options.serverPid()) : -1;
    openFleet();
    ClientFleet.sleep(1_000); // let the user-join events land before the idle hold
    long connected = fleet.connected().size();
    Log.info(
        "holding %d connections idle for %d s (measure the server now)",
        connected, options.holdS());
    ProcessStats.Span idle = ProcessStats.Span.start(options.serverPid());
    ClientFleet.sleep(options.holdS() * 1_000L);
    idle.end(report, "hold");
    report.count("hold", "connectionsHeld", fleet.connected().size(), "connections");
    report.error("droppedDuringHold", connected - fleet.connected().size());
    long self = ProcessHandle.current().pid();
    report.count("hold", "loadgenRss", ProcessStats.rssKib(self), "KiB");
    report.count("hold", "loadgenFds", ProcessStats.openFileDescriptors(self), "fds");
    if (options.serverPid() > 0) {
      long rss = ProcessStats.rssKib(options.serverPid());
      report.count("hold", "serverRss", rss, "KiB");
      report.count(
          "hold", "serverFds", ProcessStats.openFileDescriptors(options.serverPid()), "fds");
      report.count("hold", "serverRssBefore", rssBefore, "KiB");
      if (rss > 0 && rssBefore > 0 && connected > 0) {
        report.metric(
            "hold",
            "serverRssPerConnection",
            (rss - rssBefore) / (double) connected,
            "KiB (RSS growth / connections)");
      }
    }
  }

  private void fanout() {
    List<ClientConnection> ready = openUsers();
    List<String> rooms =
        ready.stream().map(c -> Frames.quote("user:" + c.userId)).collect(Collectors.toList());
    Collections.shuffle(rooms, new Random(42)); // spread consecutive emits over loops
    Duration duration = Duration.ofSeconds(options.durationS());
    int window = options.effectiveWindow();
    int batch = options.batch();
    if (redis != null) {
      report.parameter("emitsVia", "redis " + options.redisChannel());
    }
    if (options.warmupS() > 0) {
      Log.info("warm-up: %d s unthrottled", options.warmupS());
      emitPhase(
          "warmup",
          new EmitDriver.Plan(
              WARMUP_PHASE, Duration.ofSeconds(options.warmupS()), 0, window, rooms, 1, batch));
    }

    Log.info(
        "saturation: %d users, window %d, batch %d, %d s",
        ready.size(), window, batch, options.durationS());
    EmitDriver.Plan saturation = new EmitDriver.Plan(1, duration, 0, window, rooms, 1, batch);
    latencyPhase(saturation, emitPhase("saturation", saturation));
  }

  private void room() {
    openFleet();
    String room = "channel:" + options.channel();
    List<ClientConnection> members = joinRoom(room, fleet.connected());
    if (members.isEmpty()) {
      throw new IllegalStateException("no client joined " + room);
    }
    int window = options.effectiveWindow();
    if (options.warmupS() > 0) {
      Log.info("warm-up: %d s unthrottled", options.warmupS());
      emitPhase(
          "warmup",
          new EmitDriver.Plan(
              WARMUP_PHASE,
              Duration.ofSeconds(options.warmupS()),
              0,
              window,
              List.of(Frames.quote(room)),
              members.size()));
    }
    Log.info(
        "room %s: %d members, window %d emits, %d s",
        room, members.size(), window, options.durationS());
    EmitDriver.Plan saturation =
        new EmitDriver.Plan(
            1,
            Duration.ofSeconds(options.durationS()),
            0,
            window,
            List.of(Frames.quote(room)),
            members.size());
    latencyPhase(saturation, emitPhase("room", saturation));
  }

  /**
   * The phase after saturation, like it but paced: at {@code --rate} emits/s, or half the rate the
   * saturation phase reached. A latency at saturation compares servers at different loads, each
   * queueing as much as the window allows; one rate for every server compares them at one load.
   */
  private void latencyPhase(EmitDriver.Plan saturation, EmitDriver.Result reached) {
    double reachedRate = reached.accepted() / seconds(reached.elapsedNanos());
    double rate = options.rate() > 0 ? options.rate() : Math.max(1, reachedRate / 2);
    report.metric("rate", "targetEmitRate", rate, "emits/s");
    Log.info("latency at %.0f emits/s for %d s", rate, options.durationS());
    emitPhase(
        "rate",
        new EmitDriver.Plan(
            2,
            saturation.duration(),
            rate,
            saturation.window(),
            saturation.rooms(),
            saturation.fanout(),
            saturation.batch()));
  }

  private void calls() {
    openFleet();
    List<String> sids = fleet.connected().stream().map(c -> c.sid).toList();
    if (sids.isEmpty()) {
      throw new IllegalStateException("no connection");
    }
    int window = options.effectiveWindow();
    if (options.warmupS() > 0) {
      Log.info("warm-up: %d s of calls", options.warmupS());
      CallDriver.Result warm = runCalls(sids, window, options.warmupS());
      report.metric("warmup", "callsPerSec", warm.ok() / seconds(warm.elapsedNanos()), "calls/s");
      report.count("warmup", "failed", warm.sent() - warm.ok(), "calls");
    }
    Log.info("calls: %d sessions, %d in flight, %d s", sids.size(), window, options.durationS());
    ProcessStats.Span span = ProcessStats.Span.start(options.serverPid());
    long answeredBefore = fleet.stats.callsAnswered.sum();
    fleet.stats.postMicros.reset(); // polling: from here on, the POSTs are the calls' acks
    CallDriver.Result result = runCalls(sids, window, options.durationS());
    span.end(report, "calls");
    if (options.polling()) {
      report.latency("calls", "postRoundTrip", fleet.stats.postMicros);
    }
    double secs = seconds(result.elapsedNanos());
    report.count("calls", "sent", result.sent(), "calls");
    report.count("calls", "ok", result.ok(), "calls");
    report.count(
        "calls", "answeredByClients", fleet.stats.callsAnswered.sum() - answeredBefore, "acks");
    report.metric("calls", "callsPerSec", result.ok() / secs, "calls/s");
    report.latency("calls", "roundTrip", result.roundTripMicros());
    result.failures().forEach((reason, count) -> report.error("call " + reason, count));
    if (result.failures().isEmpty()) {
      report.error("callFailures", 0);
    }
  }

  /**
   * One chat task per connection, all at once, each streaming {@code --tokens} chunks from the fake
   * model server at {@code --token-rate}: are all chunks delivered, in order, and what does the
   * server spend per delivered chunk.
   */
  private void tasks() {
    FakeUpstream upstream = new FakeUpstream(vertx, options.tokens(), options.tokenRate());
    upstream.start(options.upstreamPort());
    try {
      List<ClientConnection> ready = openUsers();
      TaskStreams streams = fleet.stats.tasks;
      long nominal = Math.round(options.tokens() / options.tokenRate() * 1_000);
      if (options.warmupS() > 0) {
        // A first round, not measured: the JIT compiles the task path (on a cold gateway its
        // compiler threads took about as much CPU as the event loops).
        Log.info("tasks: warm-up round of %d tasks", ready.size());
        Map<String, String> warmup = startTasks(clientSide, ready, "tasksWarmup", "-warmup");
        awaitProgress(
            () -> warmup.keySet().stream().filter(c -> streams.chat(c).done).count(),
            warmup.size(),
            nominal);
        report.count("tasks", "warmupTasks", warmup.size(), "tasks");
      }
      long snapshotsBefore = streams.snapshots.sum();
      long wireBefore = wireBytes();
      long charsBefore = fleet.stats.payloadChars.sum();
      long chunksBefore = upstream.chunksWritten.sum();
      long cpuBefore = options.serverPid() > 0 ? ProcessStats.cpuNanos(options.serverPid()) : -1;
      ProcessStats.Span span = ProcessStats.Span.start(options.serverPid());
      long start = System.nanoTime();
      Map<String, String> tasks = startTasks(clientSide, ready, "tasks", "");
      report.metric("tasks", "startElapsed", seconds(System.nanoTime() - start), "s");
      awaitProgress(
          () -> tasks.keySet().stream().filter(c -> streams.chat(c).done).count(),
          tasks.size(),
          nominal);
      long elapsed = System.nanoTime() - start;
      span.end(report, "tasks");
      long wire = difference(wireBefore, wireBytes());
      long chars = fleet.stats.payloadChars.sum() - charsBefore;
      long cpu = cpuBefore >= 0 ? ProcessStats.cpuNanos(options.serverPid()) - cpuBefore : -1;
      String expected = FakeUpstream.expectedText(options.tokens());
      long complete =
          tasks.keySet().stream()
              .map(streams.chats::get)
              .filter(chat -> chat != null && chat.done && expected.equals(chat.finalText))
              .count();
      long delivered = streams.snapshots.sum() - snapshotsBefore;
      // How long each reply took at its tab, first chunk to final event: nominal is
      // (tokens - 1) / rate; more means the replica fell behind the model server.
      org.HdrHistogram.Histogram replyTime = FleetStats.newHistogram();
      for (String chatId : tasks.keySet()) {
        TaskStreams.Chat chat = streams.chats.get(chatId);
        if (chat != null && chat.done && chat.firstChunkAt > 0) {
          FleetStats.recordMicros(replyTime, chat.doneAt - chat.firstChunkAt);
        }
      }
      report.latency("tasks", "firstChunkToDone", replyTime);
      report.count("tasks", "tasksStarted", tasks.size(), "tasks");
      report.count("tasks", "tasksCompleteAndInOrder", complete, "tasks");
      report.count(
          "tasks", "chunksFromUpstream", upstream.chunksWritten.sum() - chunksBefore, "chunks");
      report.count("tasks", "chunksDelivered", delivered, "events");
      report.metric("tasks", "elapsed", seconds(elapsed), "s");
      report.metric("tasks", "nominalDuration", nominal / 1_000.0, "s");
      report.metric("tasks", "chunksPerSec", delivered / seconds(elapsed), "events/s");
      if (cpu >= 0 && delivered > 0) {
        report.metric("tasks", "serverCpuPerChunk", cpu / 1_000.0 / delivered, "us CPU / chunk");
      }
      report.count("tasks", "clientPayloadChars", chars, "characters of text packets");
      if (wire >= 0) {
        report.count("tasks", "clientWireBytes", wire, "TCP bytes received by the client sockets");
        report.metric("tasks", "wireBytesPerReply", wire / (double) tasks.size(), "bytes");
        if (delivered > 0) {
          report.metric("tasks", "wireBytesPerChunk", wire / (double) delivered, "bytes");
        }
      }
      report.error("tasks.incomplete", tasks.size() - complete);
      report.error("tasks.outOfOrder", streams.outOfOrder.sum());
      report.error("tasks.errorEvents", streams.errors.sum());
      report.error("tasks.cancelled", streams.cancels.sum());
      Log.info(
          "tasks: %d/%d complete and in order, %d chunks in %.1f s (nominal %.1f s)",
          complete, tasks.size(), delivered, seconds(elapsed), nominal / 1_000.0);
    } finally {
      upstream.close();
    }
  }

  /**
   * One long chat task per connection on {@code --url}, every one streaming; then each is stopped
   * through {@code --emit-url} (another replica), one every {@code --stop-interval-ms}: the time
   * from sending the stop to the model server seeing its stream closed, and to the tab's {@code
   * chat:tasks:cancel}. A first round of the same (start them all, stop them all) warms both
   * replicas up and is not measured.
   */
  private void stop() {
    FakeUpstream upstream = new FakeUpstream(vertx, options.tokens(), options.tokenRate());
    upstream.start(options.upstreamPort());
    try {
      List<ClientConnection> ready = openUsers();
      Log.info("stop: warm-up round of %d tasks", ready.size());
      StopRound warmup = stopRound(upstream, ready, "-warmup");
      report.count("stop", "warmupStops", warmup.order().size(), "tasks");
      Log.info("stop: measured round of %d tasks", ready.size());
      ProcessStats.Span span = ProcessStats.Span.start(options.serverPid());
      StopRound measured = stopRound(upstream, ready, "");
      span.end(report, "stop");
      TaskStreams streams = fleet.stats.tasks;
      org.HdrHistogram.Histogram closed = FleetStats.newHistogram();
      org.HdrHistogram.Histogram cancelled = FleetStats.newHistogram();
      org.HdrHistogram.Histogram answered = FleetStats.newHistogram();
      long notClosed = 0;
      long notCancelled = 0;
      // In sending order, so a reader can tell a slow start from spikes.
      Map<String, Double> series = new java.util.LinkedHashMap<>();
      for (String chatId : measured.order()) {
        long sent = measured.sentAt().get(chatId);
        Long closedAt = upstream.closedAt(chatId);
        if (closedAt == null) {
          notClosed++;
        } else {
          FleetStats.recordMicros(closed, closedAt - sent);
          series.put(String.format("%03d", series.size()), (closedAt - sent) / 1_000_000.0);
        }
        long cancelAt = streams.chat(chatId).cancelledAt;
        if (cancelAt == 0) {
          notCancelled++;
        } else {
          FleetStats.recordMicros(cancelled, cancelAt - sent);
        }
        Long answer = measured.answeredAt().get(chatId);
        if (answer != null) {
          FleetStats.recordMicros(answered, answer - sent);
        }
      }
      report.count("stop", "tasksStopped", measured.order().size(), "tasks");
      report.latency("stop", "stopHttpAnswer", answered);
      report.latency("stop", "stopToUpstreamClosed", closed);
      report.latency("stop", "stopToCancelEvent", cancelled);
      report.detail("stopStatuses", new TreeMap<>(measured.statuses()));
      report.detail("stopToUpstreamClosedInOrderMs", series);
      report.error("stop.upstreamNotClosed", notClosed);
      report.error("stop.cancelNotSeen", notCancelled);
      report.error(
          "stop.refused",
          measured.statuses().entrySet().stream()
              .filter(e -> e.getKey() != 200)
              .mapToLong(Map.Entry::getValue)
              .sum());
      Log.info(
          "stop: %d tasks, upstream closed p50 %.1f ms p99 %.1f ms; cancel seen p99 %.1f ms",
          measured.order().size(),
          closed.getValueAtPercentile(50) / 1_000.0,
          closed.getValueAtPercentile(99) / 1_000.0,
          cancelled.getValueAtPercentile(99) / 1_000.0);
    } finally {
      upstream.close();
    }
  }

  /** The stops of one round: chat ids in sending order, when each was sent and answered. */
  private record StopRound(
      List<String> order,
      Map<String, Long> sentAt,
      Map<String, Long> answeredAt,
      Map<Integer, Long> statuses) {}

  /** Starts a task per client (chats suffixed {@code round}), waits until all stream, stops all. */
  private StopRound stopRound(FakeUpstream upstream, List<ClientConnection> clients, String round) {
    Map<String, String> tasks = startTasks(clientSide, clients, "stop" + round, round);
    TaskStreams streams = fleet.stats.tasks;
    awaitProgress(
        () -> tasks.keySet().stream().filter(c -> streams.chat(c).firstChunkAt > 0).count(),
        tasks.size(),
        5_000);
    Map<String, ClientConnection> owners = new java.util.HashMap<>();
    for (ClientConnection client : clients) {
      owners.put(chatIdOf(client, round), client);
    }
    List<String> order = new ArrayList<>(tasks.keySet());
    Collections.shuffle(order, new Random(7));
    Map<String, Long> sentAt = new java.util.HashMap<>();
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    List<io.vertx.core.Future<Backend.Reply>> answers = new ArrayList<>();
    for (String chatId : order) {
      String token = owners.get(chatId).token;
      String path = "/api/tasks/stop/" + tasks.get(chatId);
      sentAt.put(chatId, System.nanoTime());
      answers.add(
          emitSide
              .onContext(() -> emitSide.postAs(token, path, "{}"))
              .onComplete(
                  reply -> {
                    answeredAt.put(chatId, System.nanoTime());
                    statuses.merge(reply.result().status(), 1L, Long::sum);
                  }));
      ClientFleet.sleep(options.stopIntervalMs());
    }
    for (io.vertx.core.Future<Backend.Reply> answer : answers) {
      Backend.await(answer, REQUEST_WAIT);
    }
    awaitProgress(
        () -> order.stream().filter(c -> upstream.closedAt(c) != null).count(), order.size(), 0);
    return new StopRound(order, sentAt, answeredAt, statuses);
  }

  private static String chatIdOf(ClientConnection client, String round) {
    return "bench-chat-" + client.index + round;
  }

  /**
   * Starts one completion task per client ({@code POST /api/chat/completions} as that user, for
   * chat {@code bench-chat-<index>}); answers chat id to task id for the tasks that started.
   */
  private Map<String, String> startTasks(
      Backend server, List<ClientConnection> clients, String group, String round) {
    List<Backend.UserRequest> requests = new ArrayList<>();
    for (ClientConnection client : clients) {
      String chatId = chatIdOf(client, round);
      requests.add(
          new Backend.UserRequest(
              client.token,
              "{\"model\":\"bench-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                  + Frames.quote(chatId)
                  + "}],\"session_id\":"
                  + Frames.quote(client.sid)
                  + ",\"chat_id\":"
                  + Frames.quote(chatId)
                  + ",\"id\":"
                  + Frames.quote("message-" + client.index)
                  + "}"));
    }
    List<Backend.Reply> replies =
        server.postAllAs("/api/chat/completions", requests, 64, REQUEST_WAIT);
    Map<String, String> tasks = new java.util.LinkedHashMap<>();
    Map<Integer, Long> statuses = new TreeMap<>();
    for (int i = 0; i < replies.size(); i++) {
      Backend.Reply reply = replies.get(i);
      statuses.merge(reply.status(), 1L, Long::sum);
      if (reply.status() == 200) {
        String taskId = reply.body().toJsonObject().getJsonArray("task_ids").getString(0);
        tasks.put(chatIdOf(clients.get(i), round), taskId);
      }
    }
    report.detail(group + "StartStatuses", statuses);
    report.error(group + ".notStarted", clients.size() - tasks.size());
    if (tasks.isEmpty()) {
      throw new IllegalStateException("no task started: " + statuses);
    }
    return tasks;
  }

  /**
   * Waits until {@code progress} reaches {@code target}, giving up once it has not moved for 10 s
   * after {@code nominalMs} (the time the work should take at the least).
   */
  private static void awaitProgress(
      java.util.function.LongSupplier progress, long target, long nominalMs) {
    long start = System.nanoTime();
    long last = -1;
    long lastChange = start;
    while (progress.getAsLong() < target) {
      long now = System.nanoTime();
      long value = progress.getAsLong();
      if (value != last) {
        last = value;
        lastChange = now;
      } else if (now - start > nominalMs * 1_000_000L && now - lastChange > 10_000_000_000L) {
        Log.warn("no progress for 10 s: %d/%d", value, target);
        return;
      }
      ClientFleet.sleep(20);
    }
  }

  // ---- shared steps ------------------------------------------------------------------------

  /** Runs one emit phase, waits for its deliveries to drain, and reports it under {@code group}. */
  private EmitDriver.Result emitPhase(String group, EmitDriver.Plan plan) {
    ProcessStats.Span span = ProcessStats.Span.start(options.serverPid());
    long wireBefore = wireBytes();
    EmitDriver.Result result =
        Backend.await(
            EmitDriver.start(emitSide, redis, fleet.stats, plan),
            plan.duration().plus(REQUEST_WAIT));
    span.end(report, group);
    long wire = difference(wireBefore, wireBytes());
    long expected = result.accepted() * plan.fanout();
    long delivered = drain(plan.phase(), expected);
    double secs = seconds(result.elapsedNanos());
    report.count(group, "emitsSent", result.sent(), "emits");
    report.count(group, "emitsAccepted", result.accepted(), "emits");
    report.metric(group, "emitsPerSec", result.accepted() / secs, "emits/s");
    report.metric(group, "requestsPerSec", result.requests() / secs, "requests/s");
    if (wire >= 0 && result.deliveredInWindow() > 0) {
      report.metric(
          group, "wireBytesPerDelivery", wire / (double) result.deliveredInWindow(), "bytes");
    }
    report.metric(group, "deliveriesPerSec", result.deliveredInWindow() / secs, "msg/s");
    report.count(group, "deliveriesExpected", expected, "msg");
    report.count(group, "deliveriesCounted", delivered, "msg");
    report.latency(group, "emitToReceive", fleet.stats.latencyByPhase[plan.phase()]);
    report.latency(group, "emitHttp", result.httpMicros());
    if (plan.rate() > 0) {
      report.count(group, "rateShortfall", result.rateShortfall(), "emits");
    }
    report.error(group + ".lostDeliveries", Math.max(0, expected - delivered));
    report.error(group + ".duplicateDeliveries", Math.max(0, delivered - expected));
    long refused = result.sent() - result.accepted();
    report.error(group + ".emitsRefused", refused);
    if (refused > 0) {
      report.detail(group + "EmitStatuses", result.statuses());
    }
    Log.info(
        "%s: %.0f emits/s, %.0f deliveries/s, p99 %.2f ms, %d/%d delivered",
        group,
        result.accepted() / secs,
        result.deliveredInWindow() / secs,
        fleet.stats.latencyByPhase[plan.phase()].getValueAtPercentile(99) / 1_000.0,
        delivered,
        expected);
    return result;
  }

  /** Waits until a phase's deliveries reach {@code expected}, or stop progressing for 3 s. */
  private long drain(int phase, long expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      long delivered = fleet.stats.deliveredByPhase.get(phase);
      if (delivered >= expected) {
        break;
      }
      if (delivered != last) {
        last = delivered;
        lastChange = now;
      } else if (now - lastChange > 3_000_000_000L) {
        break;
      }
      ClientFleet.sleep(10);
    }
    ClientFleet.sleep(200); // late duplicates would show up here
    return fleet.stats.deliveredByPhase.get(phase);
  }

  private void openFleet() {
    fleet = new ClientFleet(vertx, clientContexts, options, new Tokens(options.secret()));
    Log.info(
        "opening %d connections to %s (%d in flight, local addresses %s)",
        options.connections(),
        options.url(),
        options.concurrency(),
        options.localAddresses().isEmpty() ? "any" : options.localAddresses());
    ProcessStats.Span span = ProcessStats.Span.start(options.serverPid());
    ClientFleet.OpenResult open = fleet.openAll();
    span.end(report, "connect");
    double secs = seconds(open.elapsedNanos());
    report.count("connect", "attempted", open.attempted(), "connections");
    report.count("connect", "connected", open.connected(), "connections");
    report.metric("connect", "elapsed", secs, "s");
    report.metric("connect", "connectionsPerSec", open.connected() / secs, "conn/s");
    report.latency("connect", "connectTime", fleet.stats.connectMicros);
    report.error("connectFailed", open.failed());
    if (!open.failures().isEmpty()) {
      report.detail("connectFailures", open.failures());
    }
    Log.info(
        "opened %d/%d in %.2f s (%.0f conn/s)%s",
        open.connected(),
        open.attempted(),
        secs,
        open.connected() / secs,
        open.timedOut() ? ", gave up waiting" : "");
    if (open.connected() == 0) {
      throw new IllegalStateException("no connection opened: " + open.failures());
    }
  }

  /** Opens the fleet and answers the clients that joined their user room; fails if none did. */
  private List<ClientConnection> openUsers() {
    openFleet();
    List<ClientConnection> ready = probeUsers(fleet.connected());
    if (ready.isEmpty()) {
      throw new IllegalStateException("no client joined its user room");
    }
    return ready;
  }

  /**
   * Emits a probe to each client's user room until every client has seen one (the server joins the
   * room after authenticating the token, asynchronously to CONNECT). Returns the clients that did;
   * the others are counted as errors and left out of the measurement.
   */
  private List<ClientConnection> probeUsers(List<ClientConnection> clients) {
    for (int round = 1; round <= PROBE_ROUNDS; round++) {
      List<ClientConnection> pending = clients.stream().filter(c -> !c.userReady).toList();
      if (pending.isEmpty()) {
        break;
      }
      List<String> bodies =
          pending.stream()
              .map(
                  c ->
                      "{\"event\":\"events\",\"room\":"
                          + Frames.quote("user:" + c.userId)
                          + ",\"data\":{\"probe\":\"user\"}}")
              .toList();
      Map<Integer, Long> statuses = emitSide.postAll("/internal/v1/emit", bodies, 64, REQUEST_WAIT);
      ClientFleet.awaitAll(
          pending, c -> c.userReady, Duration.ofMillis(round == 1 ? 3_000 : 1_000));
      if (!statuses.keySet().stream().allMatch(s -> s == 202 || s == 200)) {
        Log.warn("probe emits answered %s", statuses);
      }
    }
    List<ClientConnection> ready = clients.stream().filter(c -> c.userReady).toList();
    report.count("connect", "usersReady", ready.size(), "connections");
    report.error("notInUserRoom", clients.size() - ready.size());
    return ready;
  }

  /** Joins the clients to {@code room} (REST on the gateway, event on the peers), then probes. */
  private List<ClientConnection> joinRoom(String room, List<ClientConnection> clients) {
    String mode = options.joinMode();
    if (mode.equals("auto")) {
      mode = serverKind.equals("gateway") ? "api" : "event";
    }
    report.parameter("joinModeUsed", mode);
    long start = System.nanoTime();
    if (mode.equals("api")) {
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < clients.size(); i += 500) {
        String sids =
            clients.subList(i, Math.min(clients.size(), i + 500)).stream()
                .map(c -> Frames.quote(c.sid))
                .collect(Collectors.joining(","));
        bodies.add("{\"session_id\":[" + sids + "]}");
      }
      Map<Integer, Long> statuses =
          clientSide.postAll("/internal/v1/rooms/" + room + "/join", bodies, 4, REQUEST_WAIT);
      if (!statuses.keySet().equals(Set.of(200))) {
        throw new IllegalStateException("room join answered " + statuses);
      }
    } else {
      clients.forEach(c -> c.send(Frames.joinChannel(options.channel())));
    }
    String probe =
        "{\"event\":\"events\",\"room\":" + Frames.quote(room) + ",\"data\":{\"probe\":\"room\"}}";
    for (int round = 1; round <= PROBE_ROUNDS * 2; round++) {
      emitSide.postAndWait("/internal/v1/emit", probe, REQUEST_WAIT);
      if (ClientFleet.awaitAll(clients, c -> c.roomReady, Duration.ofMillis(1_000))
          == clients.size()) {
        break;
      }
    }
    List<ClientConnection> members = clients.stream().filter(c -> c.roomReady).toList();
    report.metric("join", "elapsed", seconds(System.nanoTime() - start), "s");
    report.count("join", "members", members.size(), "connections");
    report.error("notInRoom", clients.size() - members.size());
    return members;
  }

  /** Waits for readiness: {@code /q/health/ready} (gateway) or {@code /health} (peers). */
  private String awaitHealthy(Backend server) {
    List<String> paths =
        options.healthPath() != null
            ? List.of(options.healthPath())
            : List.of("/q/health/ready", "/health");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String lastAnswer = "";
    while (System.nanoTime() < deadline) {
      for (String path : paths) {
        Backend.Reply reply = server.getAndWait(path, Duration.ofSeconds(10));
        if (reply.status() == 200) {
          return path.equals("/q/health/ready") ? "gateway" : "peer";
        }
        lastAnswer = path + " -> " + reply.status();
      }
      ClientFleet.sleep(250);
    }
    throw new IllegalStateException(server.base + " not ready within 30 s (" + lastAnswer + ")");
  }

  private void recordParameters() {
    report.parameter("url", options.url().toString());
    report.parameter("emitUrl", options.emitUrl().toString());
    report.parameter("path", options.path());
    report.parameter("connections", options.connections());
    report.parameter("durationS", options.durationS());
    report.parameter("rate", options.rate());
    report.parameter("window", options.effectiveWindow());
    report.parameter("concurrency", options.concurrency());
    report.parameter("holdS", options.holdS());
    report.parameter("localAddresses", options.localAddresses());
    report.parameter("joinMode", options.joinMode());
    report.parameter("channel", options.channel());
    report.parameter("userOffset", options.userOffset());
    report.parameter("eventLoops", options.effectiveEventLoops());
    report.parameter("callTimeoutMs", options.callTimeoutMs());
    report.parameter("warmupS", options.warmupS());
    report.parameter("cores", Runtime.getRuntime().availableProcessors());
    report.parameter("transport", options.transport());
    report.parameter("pollUrl", options.pollUrl().toString());
    report.parameter("batch", options.batch());
    report.parameter("compression", options.compression() ? "deflate" : "none");
    if (options.emitRedis() != null) {
      report.parameter("emitRedis", options.emitRedis().toString());
    }
  }

  /** Closes the fleet and folds the clients' counters into the report. */
  private void finish() {
    if (redis != null) {
      redis.close();
    }
    if (fleet == null) {
      return;
    }
    FleetStats s = fleet.stats;
    int total = fleet.connections.size();
    Log.info("closing %d connections", total);
    long start = System.nanoTime();
    int closed = fleet.closeAll(Duration.ofSeconds(30));
    report.metric("close", "elapsed", seconds(System.nanoTime() - start), "s");
    report.count("close", "closed", closed, "connections");
    report.count("clients", "pingsAnswered", s.pings.sum(), "pings");
    report.count("clients", "payloadChars", s.payloadChars.sum(), "characters");
    report.count("clients", "deflateNegotiated", s.deflateNegotiated.sum(), "connections");
    if (options.polling()) {
      report.latency("clients", "postRoundTrip", s.postMicros);
    }
    report.count("clients", "probesReceived", s.probes.sum(), "events");
    report.count("clients", "acksReceived", s.acks.sum(), "acks");
    report.count("clients", "otherEvents", s.otherEvents.sum(), "events");
    report.error("notClosed", total - closed);
    report.error("parseErrors", s.parseErrors.sum());
    report.error("protocolErrors", s.protocolErrors.sum());
    report.error("unexpectedCloses", s.unexpectedCloses.sum());
    report.error("serverDisconnects", s.serverDisconnects.sum());
    report.error("socketErrors", s.socketErrors.sum());
    report.error("badPhaseTag", s.badPhase.sum());
    if (!s.problems.isEmpty()) {
      Map<String, Long> problems = new TreeMap<>();
      s.problems.forEach((k, v) -> problems.put(k, v.sum()));
      report.detail("problems", problems);
    }
  }

  /**
   * One context per event loop: instances of a verticle are spread over the loops round-robin, and
   * a connection opened from a context keeps its I/O on that context's loop.
   */
  private static List<Context> deployContexts(Vertx vertx, int count) {
    List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    Backend.await(
        vertx.deployVerticle(
            () ->
                new AbstractVerticle() {
                  @Override
                  public void start() {
                    contexts.add(context);
                    threads.add(Thread.currentThread().getName());
                  }
                },
            new DeploymentOptions().setInstances(count)),
        Duration.ofSeconds(10));
    if (threads.stream().distinct().count() < count) {
      Log.warn("event loops shared between contexts: %s", threads);
    }
    return List.copyOf(contexts);
  }

  private static long difference(long before, long after) {
    return before < 0 || after < 0 ? -1 : after - before;
  }

  /** Bytes the client WebSockets have received so far, from the kernel's count; -1 unknown. */
  private long wireBytes() {
    if (fleet == null || options.polling()) {
      return -1;
    }
    return WireBytes.received(options.url().getPort(), fleet.stats.localPorts);
  }

  private static double seconds(long nanos) {
    return Math.max(1e-9, nanos / 1e9);
  }

  /** Calls round-robin over {@code sids} for {@code seconds}, {@code window} in flight. */
  private CallDriver.Result runCalls(List<String> sids, int window, int seconds) {
    Duration duration = Duration.ofSeconds(seconds);
    return Backend.await(
        CallDriver.start(
            emitSide, new CallDriver.Plan(duration, window, sids, options.callTimeoutMs())),
        duration.plus(REQUEST_WAIT).plusMillis(options.callTimeoutMs()));
  }
}
