package io.realtimegateway.socket;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the client event a {@link SocketEventHandler} bean handles. Handlers are CDI beans, so they
 * are found at build time and the native image needs no classpath scanning.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface SocketEvent {

  /** The event name, e.g. {@code "user-join"}. */
  String value();

  /** Literal for programmatic lookups. */
  final class Literal extends AnnotationLiteral<SocketEvent> implements SocketEvent {
    private final String value;

    public Literal(String value) {
      this.value = value;
    }

    @Override
    public String value() {
      return value;
    }
  }
}
