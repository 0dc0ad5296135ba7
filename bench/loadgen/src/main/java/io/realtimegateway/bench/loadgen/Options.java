package io.realtimegateway.bench.loadgen;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line, parsed once. Every option has a default except the scenario and {@code --url}.
 *
 * @param scenario connect, fanout, room, calls or cross
 * @param url the server the clients connect to (scheme, host and port; path ignored)
 * @param emitUrl the server the backend loop posts to; {@code --url} unless given
 * @param path public path of the Socket.IO endpoint
 * @param connections client connections this process opens (at most {@link #MAX_CONNECTIONS})
 * @param durationS length of each measured phase, seconds
 * @param rate emits per second of the latency phase of fanout, cross and room; 0 = half the
 *     measured saturation
 * @param localAddresses source addresses the client sockets bind to, round-robin; empty = any
 * @param joinMode how room members join {@code channel:<channel>}: api, event or auto
 * @param out file the result JSON is written to; null = stdout only
 * @param secret HS256 secret of the tokens (the server's {@code WEBUI_SECRET_KEY})
 * @param holdS seconds the connect scenario holds its connections idle
 * @param concurrency connection attempts in flight at once
 * @param window requests in flight at once (and, for emits, undelivered emits); 0 = per scenario
 * @param eventLoops Vert.x event loops; 0 = one per core
 * @param callTimeoutMs {@code timeout_ms} of each call
 * @param healthPath readiness path; null = try /q/health/ready, then /health
 * @param serverPid process whose CPU time and RSS are reported; 0 = none
 * @param channel room of the room scenario is {@code channel:<channel>}
 * @param userOffset first user number, so several processes get distinct users
 * @param connectTimeoutS time one connection has from its first byte to CONNECT answered
 * @param warmupS seconds of unreported load before the measured phases (JIT warm-up of a JVM
 *     server)
 * @param transport websocket or polling (Engine.IO long-polling, no upgrade)
 * @param pollUrl polling: where the session's GETs and POSTs go once the handshake is made at
 *     {@code url}; {@code url} unless given (another replica measures forwarding)
 * @param batch fanout/cross: emits per HTTP request; above 1 the body is a JSON array of that many
 *     emit objects (the gateway's batch emit), 1 = one object as before
 * @param compression whether the WebSocket clients offer permessage-deflate, as browsers do
 * @param emitRedis fanout: publish every emit to this Redis as python-socketio's manager does (Open
 *     WebUI's backend), instead of posting it to {@code --emit-url}; null = HTTP
 * @param redisChannel the manager channel of {@code emitRedis}
 */
record Options(
    String scenario,
    URI url,
    URI emitUrl,
    String path,
    int connections,
    int durationS,
    double rate,
    List<String> localAddresses,
    String joinMode,
    String out,
    String secret,
    int holdS,
    int concurrency,
    int window,
    int eventLoops,
    int callTimeoutMs,
    String healthPath,
    int serverPid,
    String channel,
    int userOffset,
    int connectTimeoutS,
    int warmupS,
    int upstreamPort,
    int tokens,
    double tokenRate,
    int stopIntervalMs,
    String transport,
    URI pollUrl,
    int batch,
    boolean compression,
    URI emitRedis,
    String redisChannel) {

  /**
   * One process keeps below 20,000 file descriptors: a connection costs one, Vert.x and the JVM a
   * few hundred, and the margin is for the backend's pool.
   */
  static final int MAX_CONNECTIONS = 9_000;

  /**
   * A polling session holds a connection for its waiting GET and at times one for a POST: half as
   * many sessions as WebSockets keep the same bound.
   */
  static final int MAX_POLLING_SESSIONS = MAX_CONNECTIONS / 2;

  static final Set<String> SCENARIOS =
      Set.of("connect", "fanout", "room", "calls", "cross", "tasks", "stop");

  static final String USAGE =
      """
      usage: java -jar loadgen.jar <connect|fanout|room|calls|cross|tasks|stop> --url http://127.0.0.1:PORT [options]
        --emit-url URL           server the backend posts emits/calls (stop: stops) to (default --url; cross: required)
        --path P                 Socket.IO path (default /ws/socket.io)
        --connections N          client connections, 1..9000 (default 200)
        --duration-s D           seconds per measured phase (default 10)
        --rate R                 fanout/cross/room: emits/s of the latency phase (default: half
                                 saturation)
        --local-addresses A,B    bind client sockets to these loopback addresses, round-robin
        --join-mode api|event|auto   room membership: gateway REST join or join-channel event
                                 (default auto: api when /q/health/ready answers, else event)
        --channel C              room is channel:C (default bench)
        --window W               requests in flight (default fanout/cross 128, room 16, calls 64)
        --concurrency C          connection attempts in flight (default 200)
        --hold-s S               connect: seconds to hold the connections idle (default 5)
        --call-timeout-ms T      calls: timeout_ms of each call (default 5000)
        --secret S               HS256 token secret (default bench-secret)
        --user-offset K          users are u<K>..u<K+N-1> (default 0)
        --event-loops E          Vert.x event loops (default: cores)
        --connect-timeout-s S    per connection, until CONNECT is answered (default 15)
        --warmup-s S             fanout/cross/room/calls: seconds of load before measuring (default 3)
        --health-path P          readiness path (default: /q/health/ready, then /health)
        --server-pid PID         also report this process's CPU and RSS
        --out FILE               also write the result JSON here
        --upstream-port P        tasks/stop: port of the fake model server this process serves
                                 (the gateway's OPENAI_API_BASE_URL is http://127.0.0.1:P/v1)
        --tokens N               tasks/stop: chunks per reply (default 100)
        --token-rate R           tasks/stop: chunks per second of each reply (default 20)
        --stop-interval-ms I     stop: time between two stops (default 20)
        --transport T            websocket or polling (Engine.IO long-polling; default websocket)
        --poll-url URL           polling: the session's GETs/POSTs go here, the handshake to --url
                                 (another replica: measures forwarding; default --url)
        --batch N                fanout/cross: N emits per HTTP request, as a JSON array (default 1:
                                 one emit object per request); rates and counts are in emits
        --compression C          websocket clients offer permessage-deflate (deflate) or nothing
                                 (none, the default); received wire bytes are reported either way
        --emit-redis URL         fanout: publish each emit to this Redis (redis://127.0.0.1:PORT) as
                                 python-socketio's JSON manager message, instead of HTTP
        --redis-channel C        --emit-redis: the manager channel (default socketio)
      """;

  static Options parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("missing scenario");
    }
    String scenario = args[0].toLowerCase(Locale.ROOT);
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException("unknown scenario: " + args[0]);
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value of " + arg);
        }
        name = arg.substring(2);
        value = args[++i];
      }
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown option: --" + name);
      }
      values.put(name, value);
    }
    String urlText = values.get("url");
    if (urlText == null) {
      throw new IllegalArgumentException("--url is required");
    }
    URI url = httpUri("url", urlText);
    String emitText = values.get("emit-url");
    if (scenario.equals("cross") && emitText == null) {
      throw new IllegalArgumentException("cross needs --emit-url (another replica)");
    }
    URI emitUrl = emitText == null ? url : httpUri("emit-url", emitText);
    List<String> locals = new ArrayList<>();
    String localText = values.getOrDefault("local-addresses", "");
    for (String part : localText.split(",")) {
      if (!part.isBlank()) {
        String address = part.trim();
        if (!address.startsWith("127.")) {
          throw new IllegalArgumentException("--local-addresses: loopback only: " + address);
        }
        locals.add(address);
      }
    }
    String joinMode = values.getOrDefault("join-mode", "auto");
    if (!Set.of("api", "event", "auto").contains(joinMode)) {
      throw new IllegalArgumentException("--join-mode must be api, event or auto");
    }
    String transport = values.getOrDefault("transport", "websocket");
    if (!Set.of("websocket", "polling").contains(transport)) {
      throw new IllegalArgumentException("--transport must be websocket or polling");
    }
    boolean polling = transport.equals("polling");
    if (!polling && values.containsKey("poll-url")) {
      throw new IllegalArgumentException("--poll-url needs --transport polling");
    }
    URI pollUrl =
        values.containsKey("poll-url") ? httpUri("poll-url", values.get("poll-url")) : url;
    int connections =
        intValue(values, "connections", 200, 1, polling ? MAX_POLLING_SESSIONS : MAX_CONNECTIONS);
    int batch = intValue(values, "batch", 1, 1, 1_000);
    if (batch > 1 && !scenario.equals("fanout") && !scenario.equals("cross")) {
      throw new IllegalArgumentException("--batch works with fanout and cross only");
    }
    String compression = values.getOrDefault("compression", "none");
    if (!Set.of("deflate", "none").contains(compression)) {
      throw new IllegalArgumentException("--compression must be deflate or none");
    }
    if (polling && compression.equals("deflate")) {
      throw new IllegalArgumentException("--compression needs --transport websocket");
    }
    URI emitRedis = null;
    if (values.containsKey("emit-redis")) {
      if (!scenario.equals("fanout")) {
        throw new IllegalArgumentException("--emit-redis works with fanout only");
      }
      if (batch > 1) {
        throw new IllegalArgumentException(
            "--emit-redis publishes one emit per message: no --batch");
      }
      emitRedis = redisUri(values.get("emit-redis"));
    }
    if ((scenario.equals("tasks") || scenario.equals("stop"))
        && !values.containsKey("upstream-port")) {
      throw new IllegalArgumentException(scenario + " needs --upstream-port");
    }
    return new Options(
        scenario,
        url,
        emitUrl,
        trimSlash(values.getOrDefault("path", "/ws/socket.io")),
        connections,
        intValue(values, "duration-s", 10, 1, 3_600),
        doubleValue(values, "rate", 0, 0, 10_000_000),
        List.copyOf(locals),
        joinMode,
        values.get("out"),
        values.getOrDefault("secret", "bench-secret"),
        intValue(values, "hold-s", 5, 0, 3_600),
        intValue(values, "concurrency", 200, 1, 5_000),
        intValue(values, "window", 0, 0, 4_096),
        intValue(values, "event-loops", 0, 0, 64),
        intValue(values, "call-timeout-ms", 5_000, 1, 600_000),
        values.get("health-path"),
        intValue(values, "server-pid", 0, 0, Integer.MAX_VALUE),
        values.getOrDefault("channel", "bench"),
        intValue(values, "user-offset", 0, 0, 100_000_000),
        intValue(values, "connect-timeout-s", 15, 1, 600),
        intValue(values, "warmup-s", 3, 0, 3_600),
        intValue(values, "upstream-port", 0, 0, 65_535),
        intValue(values, "tokens", 100, 1, 10_000_000),
        doubleValue(values, "token-rate", 20, 0.1, 10_000),
        intValue(values, "stop-interval-ms", 20, 0, 60_000),
        transport,
        pollUrl,
        batch,
        compression.equals("deflate"),
        emitRedis,
        values.getOrDefault("redis-channel", "socketio"));
  }

  boolean polling() {
    return transport.equals("polling");
  }

  /** The in-flight window, defaulted per scenario: a room emit costs N frames, a user emit one. */
  int effectiveWindow() {
    if (window > 0) {
      return window;
    }
    return switch (scenario) {
      case "room" -> 16;
      case "calls" -> 64;
      default -> 128;
    };
  }

  int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  /** A ceiling on the whole run, so a stuck server can never keep the process alive. */
  long maxRuntimeSeconds() {
    long opening = 60L + (long) connections * connectTimeoutS / Math.max(1, concurrency);
    long streaming = scenario.equals("tasks") ? 3L * Math.round(tokens / tokenRate) : 0L;
    long stopping = scenario.equals("stop") ? (long) connections * stopIntervalMs / 1_000L : 0L;
    return opening + 4L * durationS + 2L * warmupS + holdS + streaming + stopping + 240L;
  }

  String userId(int index) {
    return "u" + (userOffset + index);
  }

  private static final Set<String> KNOWN =
      Set.of(
          "url",
          "emit-url",
          "path",
          "connections",
          "duration-s",
          "rate",
          "local-addresses",
          "join-mode",
          "out",
          "secret",
          "hold-s",
          "concurrency",
          "window",
          "event-loops",
          "call-timeout-ms",
          "health-path",
          "server-pid",
          "channel",
          "user-offset",
          "connect-timeout-s",
          "warmup-s",
          "upstream-port",
          "tokens",
          "token-rate",
          "stop-interval-ms",
          "transport",
          "poll-url",
          "batch",
          "compression",
          "emit-redis",
          "redis-channel");

  private static URI httpUri(String option, String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": not a URL: " + text);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("--" + option + " must be http://HOST:PORT: " + text);
    }
    if (!uri.getHost().startsWith("127.") && !uri.getHost().equals("localhost")) {
      throw new IllegalArgumentException("--" + option + ": loopback only: " + text);
    }
    return uri;
  }

  private static URI redisUri(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--emit-redis: not a URL: " + text);
    }
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("--emit-redis must be redis://HOST:PORT: " + text);
    }
    if (!uri.getHost().startsWith("127.") && !uri.getHost().equals("localhost")) {
      throw new IllegalArgumentException("--emit-redis: loopback only: " + text);
    }
    return uri;
  }

  private static String trimSlash(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static int intValue(Map<String, String> values, String name, int def, int min, int max) {
    String text = values.get(name);
    if (text == null) {
      return def;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not an integer: " + text);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("--" + name + " must be in " + min + ".." + max);
    }
    return value;
  }

  private static double doubleValue(
      Map<String, String> values, String name, double def, double min, double max) {
    String text = values.get(name);
    if (text == null) {
      return def;
    }
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a number: " + text);
    }
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException("--" + name + " must be in " + min + ".." + max);
    }
    return value;
  }
}
