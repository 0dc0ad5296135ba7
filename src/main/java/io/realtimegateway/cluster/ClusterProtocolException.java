package io.realtimegateway.cluster;

/** A manager message that is not valid JSON or not one of python-socketio's methods. */
public class ClusterProtocolException extends Exception {
  public ClusterProtocolException(String message) {
    super(message);
  }
}
