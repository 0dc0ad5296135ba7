package io.realtimegateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the gateway. {@code application.properties} maps the environment variables that
 * Open WebUI users already set (named in each Javadoc) onto these keys.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

  /** Engine.IO and Socket.IO transport settings. */
  Engine engine();

  /** Token verification and user resolution. */
  Auth auth();

  /** Server-to-browser calls that wait for an acknowledgement. */
  Caller caller();

  /** Scheduled pool cleanup. */
  Jobs jobs();

  /** The HTTP API for backends under {@code /internal}. */
  Api api();

  /** Redis scale-out: replicas and Open WebUI's Python instances sharing one Redis. */
  Cluster cluster();

  /** What one client may hold or ask for; past a limit the request is refused, nothing else. */
  Limits limits();

  /** Chat tasks: the shared registry and stop commands. */
  Tasks tasks();

  /** Chat completions: the model server the gateway's tasks stream from. */
  Completion completion();

  /** Tools the gateway's chat tasks may call. */
  Tools tools();

  /** Test-suite profile; never enabled in production. */
  Conformance conformance();

  /** Graceful drain on SIGTERM. */
  Drain drain();

  /** The demo chat page and its token endpoint, for trying the gateway out. */
  Demo demo();

  /** Engine.IO and Socket.IO transport settings. */
  interface Engine {
    /** Public path of the Socket.IO endpoint (client option {@code path}); /ws/socket.io. */
    @WithDefault("/ws/socket.io")
    String path();

    /** Time between server PINGs ({@code WEBSOCKET_SERVER_PING_INTERVAL}, seconds); 25 s. */
    @WithDefault("25s")
    Duration pingInterval();

    /** Time a client has to answer a PING ({@code WEBSOCKET_SERVER_PING_TIMEOUT}); 20 s. */
    @WithDefault("20s")
    Duration pingTimeout();

    /** Largest accepted message in bytes (Engine.IO {@code maxPayload}); 1,000,000. */
    @WithDefault("1000000")
    int maxPayload();

    /**
     * Bytes a connection may have waiting to be sent before it counts as a slow consumer and is
     * closed (close code 1008); 4 MiB. Other clients never wait for it.
     */
    @WithDefault("4M")
    MemorySize maxQueuedBytes();

    /** Time a new connection has to send its Socket.IO CONNECT ({@code connectTimeout}); 45 s. */
    @WithDefault("45s")
    Duration connectTimeout();

    /** Accepted origins, {@code ;}-separated, {@code *} for any ({@code CORS_ALLOW_ORIGIN}). */
    @WithDefault("*")
    String corsAllowOrigin();

    /**
     * Engine.IO transports served, {@code polling} and / or {@code websocket} ({@code
     * GATEWAY_TRANSPORTS}); unset = both, or polling only when {@link #enableWebsocketSupport} is
     * false. When it is set, it wins over {@code ENABLE_WEBSOCKET_SUPPORT}.
     */
    @OneOf({"polling", "websocket"})
    Optional<List<String>> transports();

    /**
     * Whether WebSocket is served ({@code ENABLE_WEBSOCKET_SUPPORT}, Open WebUI's variable); true.
     * false = HTTP long-polling only, with no upgrade, as Open WebUI serves it.
     */
    @WithDefault("true")
    boolean enableWebsocketSupport();

    /**
     * Time a polling client has to finish an upgrade to WebSocket once it opened the WebSocket
     * (engine.io {@code upgradeTimeout}); 10 s.
     */
    @WithDefault("10s")
    Duration upgradeTimeout();

    /**
     * Redis mode: a poll that reaches a replica other than the session's is forwarded to that
     * replica over HTTP; how long connecting to it may take before the poll is refused as for an
     * unknown session (the client reconnects); 2 s.
     */
    @WithDefault("2s")
    Duration forwardConnectTimeout();

    /**
     * Redis mode: most connections one replica opens to another for forwarded polls. A waiting GET
     * holds one for up to a ping interval; past the limit polls wait for a free one; 4096.
     */
    @WithDefault("4096")
    int forwardMaxConnections();

    /** Most binary attachments one Socket.IO packet may announce; 10. */
    @WithDefault("10")
    @ZeroAllowed
    int maxAttachments();

    /** Socket.IO namespaces served; {@code /} only, like Open WebUI. */
    @WithDefault("/")
    List<String> namespaces();
  }

  /** Token verification and user resolution. */
  interface Auth {
    /**
     * HS256 secret of Open WebUI's JWTs ({@code WEBUI_SECRET_KEY}, fallback {@code
     * WEBUI_JWT_SECRET_KEY}); a random one is generated at start-up when unset.
     */
    Optional<String> secretKey();

    /**
     * Open WebUI backend to resolve users, channels and notes ({@code OPEN_WEBUI_BASE_URL}); unset
     * means the token's claims are the profile and channel / note joins are refused.
     */
    Optional<URI> openWebuiBaseUrl();

    /** How long a profile fetched from the backend is reused; 10 s. */
    @WithDefault("10s")
    Duration profileCacheTtl();

    /** Time limit of one backend request; 5 s. */
    @WithDefault("5s")
    Duration backendTimeout();
  }

  /** Server-to-browser calls. */
  interface Caller {
    /** Default wait for a browser's answer ({@code WEBSOCKET_EVENT_CALLER_TIMEOUT}); 60 s. */
    @WithDefault("60s")
    Duration timeout();

    /** Longest wait a caller may ask for; 10 min. */
    @WithDefault("10m")
    Duration maxTimeout();
  }

  /** Scheduled pool cleanup. */
  interface Jobs {
    /** How often idle usage entries are dropped; 3 s. */
    @WithDefault("3s")
    Duration usageCleanupInterval();

    /** A usage entry not refreshed for longer than this is dropped; 3 s. */
    @WithDefault("3s")
    Duration usageIdleTimeout();

    /** How often stale session-pool entries are reaped; 120 s. */
    @WithDefault("120s")
    Duration sessionReapInterval();

    /**
     * A session-pool entry not seen for longer than this is reaped; 120 s. Open WebUI 0.11.4 raises
     * it to four heartbeats when {@link #heartbeatInterval} is set: see {@link
     * #effectiveSessionTimeout}.
     */
    @WithDefault("120s")
    Duration sessionTimeout();

    /**
     * The browser's heartbeat interval ({@code WEBSOCKET_HEARTBEAT_INTERVAL}, Open WebUI 0.11.4,
     * seconds), which Open WebUI hands to its client; unset = the client's default (30 s) and no
     * change here. Clamped to 5-90 s as Open WebUI does.
     */
    Optional<Duration> heartbeatInterval();

    /**
     * The reaper's cut-off: {@link #sessionTimeout}, or four heartbeats if that is longer (Open
     * WebUI 0.11.4's {@code SESSION_POOL_TIMEOUT = max(4 x interval, 120)}).
     */
    default Duration effectiveSessionTimeout() {
      Duration fourBeats =
          heartbeatInterval()
              .map(
                  interval ->
                      interval.compareTo(Duration.ofSeconds(5)) < 0
                          ? Duration.ofSeconds(5)
                          : interval)
              .map(
                  interval ->
                      interval.compareTo(Duration.ofSeconds(90)) > 0
                          ? Duration.ofSeconds(90)
                          : interval)
              .map(interval -> interval.multipliedBy(4))
              .orElse(Duration.ZERO);
      return fourBeats.compareTo(sessionTimeout()) > 0 ? fourBeats : sessionTimeout();
    }
  }

  /** The HTTP API for backends. */
  interface Api {
    /**
     * Bearer key required on {@code /internal/*} ({@code GATEWAY_API_KEY}); unset means only
     * loopback clients are answered.
     */
    Optional<String> apiKey();

    /** Largest request body accepted; a larger one is answered 413. */
    @WithDefault("10M")
    MemorySize maxBodySize();
  }

  /** Redis scale-out. The Redis server itself is set with Open WebUI's variables. */
  interface Cluster {
    /**
     * {@code redis} turns Redis mode on ({@code WEBSOCKET_MANAGER}); otherwise all is in memory.
     */
    Optional<String> manager();

    /** Whether Redis mode is on. */
    default boolean redis() {
      return manager().map(value -> value.trim().equalsIgnoreCase("redis")).orElse(false);
    }

    /** Prefix of every Redis key ({@code REDIS_KEY_PREFIX}); open-webui. */
    @WithDefault("open-webui")
    String keyPrefix();

    /** python-socketio's manager channel (not prefixed, like Open WebUI); socketio. */
    @WithDefault("socketio")
    String channel();

    /**
     * Room emits on per-room channels {@code socketio#/#room} ({@code
     * WEBSOCKET_REDIS_ROOM_CHANNELS}, Open WebUI 0.11.5); true. A fleet must use one mode.
     */
    @WithDefault("true")
    boolean roomChannels();

    /** TTL of a replica's liveness key; survivors clean up after it expires; 10 s. */
    @WithDefault("10s")
    Duration nodeTtl();

    /**
     * How often a replica renews its liveness key and looks for dead replicas; well below {@code
     * node-ttl}; 3 s.
     */
    @WithDefault("3s")
    Duration nodeHeartbeat();

    /**
     * Most memory that publishes waiting for Redis may hold; past it, emits still reach this
     * replica's sockets but are not published (a hung Redis cannot fill the heap); 4 MiB.
     */
    @WithDefault("4M")
    MemorySize maxPublishBacklog();

    /** A replica that has not answered a room query by then is left out of the answer; 1 s. */
    @WithDefault("1s")
    Duration roomQueryTimeout();

    /** TTL of the cleanup locks ({@code WEBSOCKET_REDIS_LOCK_TIMEOUT}, seconds); 60 s. */
    @WithDefault("60s")
    Duration lockTimeout();

    /**
     * Where the other replicas reach this one over HTTP, {@code host} or {@code host:port}, to
     * forward the polls of its sessions ({@code GATEWAY_CLUSTER_ADVERTISED_ADDRESS}; in Kubernetes
     * the pod IP); unset: this host's address and the HTTP port.
     */
    Optional<String> advertisedAddress();

    /** Longest wait between attempts to resubscribe after Redis went away; 1 s. */
    @WithDefault("1s")
    Duration resubscribeBackoff();
  }

  /** What one client may hold or ask for. */
  interface Limits {
    /**
     * Sockets one user may have connected to this replica; a further one is disconnected after it
     * authenticates; 100.
     */
    @WithDefault("100")
    int connectionsPerUser();

    /**
     * Rooms one socket may be in, its own and its user's included; a further join is refused; 1000.
     */
    @WithDefault("1000")
    int roomsPerSocket();

    /** Calls that may wait for one socket's answer at once; a further call gets 429; 100. */
    @WithDefault("100")
    int pendingCallsPerSocket();

    /** Longest event name a client may send, in characters; longer events are dropped; 256. */
    @WithDefault("256")
    int maxEventNameLength();

    /** Longest room name, in characters; a join of a longer one is refused; 512. */
    @WithDefault("512")
    int maxRoomNameLength();

    /**
     * Handshakes one client address may start per second; more get HTTP 429. Loopback addresses (a
     * local proxy, the tests) are not limited; behind a proxy set {@code
     * quarkus.http.proxy.proxy-address-forwarding} so the address is the client's; 0 turns the
     * limit off; 50.
     */
    @WithDefault("50")
    @ZeroAllowed
    int handshakesPerSecond();
  }

  /** Chat tasks. */
  interface Tasks {
    /**
     * Expiry of a task's entry in Redis, renewed by the replica running it ({@code REDIS_TASK_TTL},
     * seconds; 0 = no expiry; as in Open WebUI, under 60 s other than 0 means 300 s); 300 s.
     */
    @WithDefault("300s")
    @ZeroAllowed
    Duration ttl();

    /**
     * How often the replica running a task renews its entry and checks for stops it may have
     * missed; well below {@code ttl}; 10 s.
     */
    @WithDefault("10s")
    Duration renewInterval();

    /**
     * How long a stop command is kept for a replica that was cut off from Redis when it was
     * published, and looks for it when its subscription comes back; 60 s.
     */
    @WithDefault("60s")
    Duration stopMarkerTtl();

    /** The expiry Open WebUI would apply to {@code ttl}: zero (none), or at least 60 s. */
    default Duration effectiveTtl() {
      Duration ttl = ttl();
      if (!ttl.isZero() && ttl.compareTo(Duration.ofSeconds(60)) < 0) {
        return Duration.ofSeconds(300);
      }
      return ttl;
    }
  }

  /** Chat completions. */
  interface Completion {
    /**
     * The OpenAI-compatible model server ({@code OPENAI_API_BASE_URL}, e.g. {@code
     * http://localhost:11434/v1}); unset means only the built-in {@code echo} demo model.
     */
    Optional<URI> openaiApiBaseUrl();

    /** Bearer key sent to the model server ({@code OPENAI_API_KEY}); none when unset. */
    Optional<String> openaiApiKey();

    /**
     * How a reply streams to the browser ({@code GATEWAY_COMPLETION_STREAM}): {@code snapshot}
     * sends the whole output so far in each {@code chat:completion} (Open WebUI 0.11.0-0.11.3
     * clients), {@code delta} sends 0.11.4's {@code response:completion} deltas; snapshot.
     */
    @WithDefault("snapshot")
    StreamFormat stream();

    /**
     * Deltas gathered into one event ({@code CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE}); a request's
     * {@code params.stream_delta_chunk_size} may ask for more; 1.
     */
    @WithDefault("1")
    int streamDeltaChunkSize();

    /** Offers the built-in {@code echo} demo model; true. */
    @WithDefault("true")
    boolean echoModel();

    /** Time between the words the {@code echo} model streams; 50 ms. */
    @WithDefault("50ms")
    Duration echoWordInterval();

    /** Time limit to connect to the model server; 10 s. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Longest silence of a streaming model server before the reply fails; 300 s. */
    @WithDefault("300s")
    Duration idleTimeout();

    /**
     * Connections the gateway may hold open to the model server at once; one streaming reply holds
     * one for its whole length, so this bounds the replies that stream at once; further requests
     * wait for a free one; 4096.
     */
    @WithDefault("4096")
    int maxConnections();

    /**
     * How long the model server's model list is reused to check a request's {@code model}; a failed
     * fetch is never reused; 10 s.
     */
    @WithDefault("10s")
    @ZeroAllowed
    Duration modelsCacheTtl();

    /** Streaming formats towards the browser. */
    enum StreamFormat {
      SNAPSHOT,
      DELTA
    }
  }

  /** Tools in chat tasks. */
  interface Tools {
    /**
     * Server-side tool servers ({@code TOOL_SERVER_CONNECTIONS}): Open WebUI's JSON list of {@code
     * {"type"?: "openapi"|"mcp", "url", "path"?, "auth_type"?: "bearer"|"none", "key"?, "info"?:
     * {"id", "name"}}}; none when unset.
     */
    Optional<String> serverConnections();

    /** How often the tool servers' specs and tool lists are read again; 5 min. */
    @WithDefault("5m")
    Duration refreshInterval();

    /** Rounds of tool calls one reply may make; past it the reply ends with an error item; 10. */
    @WithDefault("10")
    int maxRounds();

    /** Time limit of one call to a server-side tool; 60 s. */
    @WithDefault("60s")
    Duration callTimeout();

    /** Most of a tool result that goes back to the model and into events, in bytes; 64 KiB. */
    @WithDefault("64K")
    MemorySize maxResultSize();

    /** Largest image or audio a tool may return as a file (a {@code data:} URL); 5 MiB. */
    @WithDefault("5M")
    MemorySize maxFileSize();
  }

  /** Serves the official engine.io-protocol / socket.io-protocol test-suite endpoints. */
  /**
   * What a replica does between SIGTERM and stopping: readiness DOWN, no new sessions or tasks, its
   * tasks stopped, its sessions closed so clients reconnect elsewhere, its shared state removed.
   */
  interface Drain {
    /**
     * Longest the whole drain may take; Kubernetes' {@code terminationGracePeriodSeconds} must be
     * longer; 20 s.
     */
    @WithDefault("20s")
    Duration timeout();

    /**
     * Window the sessions are closed over, so their reconnects do not all hit the other replicas at
     * once; with socket.io-client's default reconnection delays (1 s ± 50 %) every client is back
     * within 5 s at the default; 2 s.
     */
    @WithDefault("2s")
    @ZeroAllowed
    Duration spread();
  }

  /** The demo chat page at {@code /} and {@code POST /demo/token}; never on in production. */
  interface Demo {
    /**
     * Whether {@code /} serves the demo chat page and {@code POST /demo/token} hands out
     * short-lived tokens of demo users ({@code GATEWAY_DEMO}); false, true in dev mode.
     */
    @WithDefault("false")
    boolean enabled();
  }

  interface Conformance {
    /** On only in the {@code conformance} profile; false. */
    @WithDefault("false")
    boolean enabled();
  }
}
