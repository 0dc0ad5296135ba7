package io.realtimegateway.redis;

import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Redis that replicas share, as every Redis-mode bean injects it. Injecting Quarkus' data
 * source directly would make the Redis extension create it at start-up in memory mode too, where no
 * Redis is configured; this qualified one is looked up only when a Redis bean is created.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface SharedRedis {}
