package io.realtimegateway.room;

/** Makes the adapter of a namespace; the cluster layer supplies its own factory. */
@FunctionalInterface
public interface RoomAdapterFactory {

  RoomAdapter create(String namespace, LocalSockets sockets);
}
