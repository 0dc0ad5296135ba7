package io.realtimegateway.task;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Open WebUI's answer to a stop: {@code {"status": bool, "message": str}}. */
@RegisterForReflection
public record StopResult(boolean status, String message) {}
