package io.realtimegateway.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.socket.Socket;
import io.realtimegateway.socket.SocketEvent;
import io.realtimegateway.socket.SocketEventHandler;
import io.realtimegateway.socket.SocketLifecycleListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The socket.io-protocol suite's server handlers. Looked up only when {@code
 * gateway.conformance.enabled} is true, so production never answers these events.
 */
public final class ConformanceHandlers {

  private ConformanceHandlers() {}

  /** Every connection is greeted with {@code auth} carrying its CONNECT payload. */
  @ApplicationScoped
  public static class AuthGreeting implements SocketLifecycleListener {
    private final boolean enabled;

    public AuthGreeting(GatewayConfig config) {
      this.enabled = config.conformance().enabled();
    }

    @Override
    public void onConnect(Socket socket, JsonNode auth) {
      if (enabled) {
        socket.emit("auth", auth);
      }
    }
  }

  /** {@code message}: emits {@code message-back} with the same arguments. */
  @ApplicationScoped
  @SocketEvent("message")
  @LookupIfProperty(name = "gateway.conformance.enabled", stringValue = "true")
  public static class MessageBack implements SocketEventHandler {
    @Override
    public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
      socket.emit("message-back", args.toArray(JsonNode[]::new));
      return Uni.createFrom().item(List.of());
    }
  }

  /** {@code message-with-ack}: acknowledges with the same arguments. */
  @ApplicationScoped
  @SocketEvent("message-with-ack")
  @LookupIfProperty(name = "gateway.conformance.enabled", stringValue = "true")
  public static class MessageWithAck implements SocketEventHandler {
    @Override
    public Uni<List<JsonNode>> handle(Socket socket, List<JsonNode> args) {
      return Uni.createFrom().item(args);
    }
  }
}
