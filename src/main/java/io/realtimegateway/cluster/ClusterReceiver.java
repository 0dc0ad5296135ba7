package io.realtimegateway.cluster;

/** What a {@link ClusterBus} delivers to. */
public interface ClusterReceiver {

  /** A message from another host (or a callback for this one). */
  void receive(ClusterMessage message);

  /**
   * Whether this host has sockets in a room: room-channel emits for rooms with no local member are
   * dropped before they are decoded.
   */
  boolean hasLocalMembers(String namespace, String room);
}
