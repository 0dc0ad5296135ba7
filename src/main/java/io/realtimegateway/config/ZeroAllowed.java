package io.realtimegateway.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a number, size or duration of {@link GatewayConfig}: 0 is a meaningful value (usually "off").
 * Without it, start-up refuses 0 and anything negative.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ZeroAllowed {}
