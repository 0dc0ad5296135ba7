package io.realtimegateway.socket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Client events in and out by name: {@code gateway.events.in} and {@code gateway.events.out}, tag
 * {@code event}. The tag takes the {@link SocketEvent} handlers' names and the {@link KnownEvents}
 * names; any other name (a client may send any) is counted as {@code other}. Every counter is made
 * here once; counting is one map look-up per event, never one per recipient.
 */
@ApplicationScoped
public class EventMeters {

  /** The tag value of every name not known in advance. */
  public static final String OTHER = "other";

  private final Map<String, Counter> in = new HashMap<>();
  private final Map<String, Counter> out = new HashMap<>();
  private final Counter otherIn;
  private final Counter otherOut;

  public EventMeters(
      MeterRegistry registry,
      @Any Instance<SocketEventHandler> handlers,
      @All List<KnownEvents> known) {
    Set<String> names = new TreeSet<>();
    for (Instance.Handle<SocketEventHandler> handle : handlers.handles()) {
      handle.getBean().getQualifiers().stream()
          .filter(SocketEvent.class::isInstance)
          .forEach(qualifier -> names.add(((SocketEvent) qualifier).value()));
    }
    known.forEach(module -> names.addAll(module.names()));
    names.add(OTHER);
    for (String name : names) {
      in.put(
          name,
          Counter.builder("gateway.events.in")
              .description("Events received from clients, by name (other: any unknown name)")
              .tag("event", name)
              .register(registry));
      out.put(
          name,
          Counter.builder("gateway.events.out")
              .description(
                  "Events emitted to clients from this replica (once per emit or call, before"
                      + " fan-out), by name (other: any unknown name)")
              .tag("event", name)
              .register(registry));
    }
    this.otherIn = in.get(OTHER);
    this.otherOut = out.get(OTHER);
  }

  /** A client sent this event. */
  void received(String event) {
    in.getOrDefault(event, otherIn).increment();
  }

  /** This replica emits this event, to any number of sockets, or calls a socket with it. */
  public void sent(String event) {
    out.getOrDefault(event, otherOut).increment();
  }
}
