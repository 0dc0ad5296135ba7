package io.realtimegateway.cluster;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/** Which gateway replicas are alive right now: whom a room query waits for. */
public interface LiveReplicas {

  /** Host ids of the live replicas, this one included. */
  Uni<Set<String>> liveNodes();
}
