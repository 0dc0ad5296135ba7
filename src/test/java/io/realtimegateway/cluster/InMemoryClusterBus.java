package io.realtimegateway.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker in memory for cluster tests: like Redis pub/sub every connected bus gets every message,
 * its own included, and each message goes through python-socketio's JSON on the way. Delivery is
 * synchronous, so a test sees the whole fleet's reaction when {@code publish} returns.
 */
final class InMemoryClusterBus {

  private final PythonManagerCodec codec = new PythonManagerCodec(new ObjectMapper());
  private final List<ClusterReceiver> receivers = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  /** A replica's connection to this broker. */
  ClusterBus connect() {
    return new ClusterBus() {
      private volatile ClusterReceiver receiver;

      @Override
      public Uni<Void> publish(ClusterMessage message) {
        if (down) {
          return Uni.createFrom().failure(new IllegalStateException("broker down"));
        }
        String wire = codec.encode(message);
        for (ClusterReceiver each : receivers) {
          try {
            each.receive(codec.decode(wire));
          } catch (ClusterProtocolException e) {
            return Uni.createFrom().failure(e);
          }
        }
        return Uni.createFrom().voidItem();
      }

      @Override
      public void start(ClusterReceiver receiver) {
        this.receiver = receiver;
        receivers.add(receiver);
      }

      @Override
      public boolean isConnected() {
        return !down && receiver != null;
      }

      @Override
      public void stop() {
        receivers.remove(receiver);
      }
    };
  }

  /** Every publish fails from now on (or works again). */
  void setDown(boolean down) {
    this.down = down;
  }
}
