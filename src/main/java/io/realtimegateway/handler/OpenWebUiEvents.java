package io.realtimegateway.handler;

import io.realtimegateway.socket.KnownEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Open WebUI's event names (0.5 to 0.11), for the {@code event} tag of the event meters: what its
 * backends emit and call ({@code events}, {@code chat-events}, ...) and what its web client sends
 * that has no handler here (the {@code ydoc:*} events of collaborative notes). The handled names
 * come from the handlers themselves.
 */
@ApplicationScoped
public class OpenWebUiEvents implements KnownEvents {

  private static final Set<String> NAMES =
      Set.of(
          "events",
          "chat-events",
          "channel-events",
          "events:channel",
          "events:chat",
          "events:note",
          "usage",
          "user-list",
          "group-membership-update",
          "ydoc:document:join",
          "ydoc:document:leave",
          "ydoc:document:state",
          "ydoc:document:update",
          "ydoc:awareness:update",
          "ydoc:user:joined",
          "ydoc:user:left");

  @Override
  public Set<String> names() {
    return NAMES;
  }
}
