package io.realtimegateway.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a text setting (or a list of them) of {@link GatewayConfig}: the only words it accepts;
 * start-up refuses any other.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OneOf {
  /** The accepted words, lower case. */
  String[] value();
}
