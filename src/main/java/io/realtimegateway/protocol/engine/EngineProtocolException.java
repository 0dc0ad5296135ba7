package io.realtimegateway.protocol.engine;

/** A frame or payload that is not valid Engine.IO v4. */
public class EngineProtocolException extends Exception {
  public EngineProtocolException(String message) {
    super(message);
  }
}
