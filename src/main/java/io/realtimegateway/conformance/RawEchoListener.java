package io.realtimegateway.conformance;

import io.realtimegateway.engine.EngineListener;
import io.realtimegateway.engine.EngineSession;
import io.realtimegateway.protocol.engine.EnginePacket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/** The engine.io-protocol suite's server: every message is sent back as it came. */
@ApplicationScoped
@Typed(RawEchoListener.class)
public class RawEchoListener implements EngineListener {

  @Override
  public void onOpen(EngineSession session) {}

  @Override
  public void onMessage(EngineSession session, EnginePacket message) {
    session.send(message);
  }

  @Override
  public void onClose(EngineSession session, String reason) {}
}
