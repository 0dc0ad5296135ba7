package io.realtimegateway.socket;

import java.util.Set;

/**
 * Event names that get meters of their own besides the {@link SocketEvent} handlers' names: the
 * events a module emits to clients, or receives without a handler. Every other name is counted as
 * {@code other}, so no client or backend can create a meter.
 */
public interface KnownEvents {

  /** The names, fixed when the bean is made. */
  Set<String> names();
}
