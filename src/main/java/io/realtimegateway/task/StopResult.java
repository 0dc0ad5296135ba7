package io.realtimegateway.task;

/** Open WebUI's answer to a stop: {@code {"status": bool, "message": str}}. */
public record StopResult(boolean status, String message) {}
