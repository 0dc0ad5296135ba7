package io.realtimegateway.support;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONObject;

/**
 * A browser tab as the Open WebUI web client makes it, built on the Java socket.io-client: path
 * {@code /ws/socket.io}, WebSocket only, the token in the CONNECT auth, {@code user-join} on
 * connect. Records every {@code events} it receives.
 */
public final class BrowserTab implements AutoCloseable {

  /**
   * The HTTP client of every tab. socket.io-client's own shared default lets 5 requests per host
   * run at once, so with more than a few polling tabs (each keeps a GET waiting) the others starve;
   * a browser gives every tab its own connections.
   */
  private static final OkHttpClient HTTP = httpClient();

  private final Socket socket;
  private final List<Object> events = new CopyOnWriteArrayList<>();

  /** How the tab answers calls (an {@code events} emit with an ack); none: it never answers. */
  private volatile java.util.function.Function<Object, Object[]> callAnswer;

  private BrowserTab(Socket socket) {
    this.socket = socket;
  }

  /** Opens a tab and waits until it is connected; {@code token} may be null. */
  public static BrowserTab open(URI gateway, String token) {
    return open(gateway, token, "/", true);
  }

  /** Opens a tab on a namespace; {@code userJoin} sends {@code user-join} after connecting. */
  public static BrowserTab open(URI gateway, String token, String namespace, boolean userJoin) {
    return open(gateway, "/ws/socket.io", token, namespace, userJoin);
  }

  /** Opens a tab on another endpoint path. */
  public static BrowserTab open(
      URI gateway, String path, String token, String namespace, boolean userJoin) {
    return open(gateway, path, token, namespace, userJoin, "websocket");
  }

  /**
   * Opens a tab that uses these transports in this order (socket.io-client's {@code transports}):
   * {@code "polling"} alone, or {@code "polling", "websocket"} to upgrade after a polling start.
   */
  public static BrowserTab openWithTransports(URI gateway, String token, String... transports) {
    return open(gateway, "/ws/socket.io", token, "/", true, transports);
  }

  private static BrowserTab open(
      URI gateway,
      String path,
      String token,
      String namespace,
      boolean userJoin,
      String... transports) {
    IO.Options options =
        IO.Options.builder()
            .setPath(path)
            .setTransports(transports)
            .setReconnection(false)
            .setForceNew(true)
            .setAuth(token == null ? Map.of() : Map.of("token", token))
            .build();
    options.callFactory = HTTP;
    options.webSocketFactory = HTTP;
    Socket socket = IO.socket(gateway.resolve(namespace), options);
    BrowserTab tab = new BrowserTab(socket);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.on(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.on(
        Socket.EVENT_CONNECT_ERROR,
        args ->
            connected.completeExceptionally(new IllegalStateException(String.valueOf(args[0]))));
    socket.on(
        "events",
        args -> {
          tab.events.add(args.length == 0 ? null : args[0]);
          java.util.function.Function<Object, Object[]> answer = tab.callAnswer;
          if (answer != null && args.length > 1 && args[args.length - 1] instanceof Ack ack) {
            Object[] reply = answer.apply(args[0]);
            if (reply != null) {
              ack.call(reply);
            }
          }
        });
    socket.connect();
    try {
      // Generous: the first connection of a freshly started test application loads and compiles
      // the whole path, which took over 5 s on a CI machine under load.
      connected.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.close();
      throw new IllegalStateException("tab did not connect: " + e.getMessage(), e);
    }
    if (userJoin && token != null) {
      socket.emit("user-join", new JSONObject(Map.of("auth", Map.of("token", token))));
    }
    return tab;
  }

  private static OkHttpClient httpClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(10_000);
    dispatcher.setMaxRequestsPerHost(10_000);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .readTimeout(1, TimeUnit.MINUTES)
        .build();
  }

  /** Sends {@code user-join} with the token and returns the server's ack arguments. */
  public Object[] userJoin(String token) throws Exception {
    CompletableFuture<Object[]> ack = new CompletableFuture<>();
    socket.emit(
        "user-join",
        new Object[] {new JSONObject(Map.of("auth", Map.of("token", token)))},
        (Ack) ack::complete);
    return ack.get(10, TimeUnit.SECONDS);
  }

  public Socket socket() {
    return socket;
  }

  /**
   * The Engine.IO transport the tab uses now ({@code polling} or {@code websocket}). The Java
   * client keeps it in package-private fields, hence the reflection.
   */
  public String transportName() {
    try {
      java.lang.reflect.Field engineField =
          io.socket.client.Manager.class.getDeclaredField("engine");
      engineField.setAccessible(true);
      Object engine = engineField.get(socket.io());
      java.lang.reflect.Field transportField =
          io.socket.engineio.client.Socket.class.getDeclaredField("transport");
      transportField.setAccessible(true);
      return ((io.socket.engineio.client.Transport) transportField.get(engine)).name;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public String sid() {
    return socket.id();
  }

  /**
   * Answers every later call with what {@code answer} makes of its payload (the ack's arguments;
   * null: no answer), as the Open WebUI web client answers {@code execute:tool}.
   */
  public void answerCalls(java.util.function.Function<Object, Object[]> answer) {
    this.callAnswer = answer;
  }

  /** Every {@code events} payload received so far, oldest first. */
  public List<Object> events() {
    return events;
  }

  @Override
  public void close() {
    socket.close();
  }
}
