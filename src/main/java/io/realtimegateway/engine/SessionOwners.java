package io.realtimegateway.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Which replica holds an Engine.IO session, so that a poll may reach any replica: the sid carries
 * the tag of the replica that made it ({@link SessionIds#withTag}), and a poll for a session held
 * elsewhere is forwarded to that replica's HTTP address ({@link SessionForwarder}). Redis mode
 * keeps the replicas' addresses in Redis; memory mode has one replica and forwards nothing.
 */
public interface SessionOwners {

  /** This replica's tag (24 bits), carried in the sids it makes. */
  int localTag();

  /**
   * The HTTP address of the replica that holds a session this replica does not, if the sid names
   * one that is listed. Any thread; answers from memory when it can.
   */
  Uni<Optional<SocketAddress>> ownerOf(String sid);

  /** One replica: every session is here or nowhere. */
  SessionOwners LOCAL = new Local(new SecureRandom().nextInt() & 0xffffff);

  /** {@link #LOCAL}. */
  record Local(int localTag) implements SessionOwners {
    @Override
    public Uni<Optional<SocketAddress>> ownerOf(String sid) {
      return Uni.createFrom().item(Optional.empty());
    }
  }
}
