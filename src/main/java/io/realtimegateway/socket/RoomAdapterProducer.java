package io.realtimegateway.socket;

import io.quarkus.arc.DefaultBean;
import io.realtimegateway.room.InMemoryRoomAdapter;
import io.realtimegateway.room.RoomAdapterFactory;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Rooms live in this process unless the cluster layer provides another factory. */
public class RoomAdapterProducer {

  @Produces
  @Singleton
  @DefaultBean
  RoomAdapterFactory inMemoryRooms() {
    return (namespace, localSockets) -> new InMemoryRoomAdapter(localSockets);
  }
}
