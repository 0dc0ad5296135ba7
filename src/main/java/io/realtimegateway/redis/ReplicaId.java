package io.realtimegateway.redis;

import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * This replica's id in the shared Redis: python-socketio's {@code host_id} (32 hex characters, new
 * at every start), which also names its liveness key and its list of sessions.
 */
@Singleton
public class ReplicaId {

  private final String value = UUID.randomUUID().toString().replace("-", "");

  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
