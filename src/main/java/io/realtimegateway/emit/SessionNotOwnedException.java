package io.realtimegateway.emit;

import io.realtimegateway.socket.SessionDisconnectedException;

/**
 * A call on behalf of a user named a session that is not one of theirs: it is not in the session
 * pool, or it belongs to another user. Open WebUI's event caller answers both alike, with "Client
 * session disconnected.", so a caller cannot tell another user's tab from a closed one; hence a
 * {@link SessionDisconnectedException}.
 */
public class SessionNotOwnedException extends SessionDisconnectedException {
  public SessionNotOwnedException(String sid) {
    super(sid);
  }
}
