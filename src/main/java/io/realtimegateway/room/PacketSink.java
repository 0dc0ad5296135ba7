package io.realtimegateway.room;

import io.realtimegateway.protocol.socket.EncodedSocketPacket;

/** Where a room adapter hands packets for its local sockets. */
@FunctionalInterface
public interface PacketSink {

  /** Sends an encoded packet to the local socket {@code sid}; unknown sids are ignored. */
  void deliver(String sid, EncodedSocketPacket packet);
}
