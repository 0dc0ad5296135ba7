package io.realtimegateway.conformance;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.engine.EngineListener;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.protocol.engine.EnginePacket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The engine.io-protocol suite's server: every message is sent back as it came. Serves its path
 * only in the conformance profile.
 */
@ApplicationScoped
public class RawEchoListener implements EngineListener {

  /** The engine.io-protocol suite's path. */
  static final String PATH = "/engine.io";

  private final boolean enabled;

  public RawEchoListener(GatewayConfig config) {
    this.enabled = config.conformance().enabled();
  }

  @Override
  public Set<String> paths() {
    return enabled ? Set.of(PATH) : Set.of();
  }

  @Override
  public void onOpen(EngineSession session) {}

  @Override
  public void onMessage(EngineSession session, EnginePacket message) {
    session.send(message);
  }

  @Override
  public void onClose(EngineSession session, String reason) {}
}
