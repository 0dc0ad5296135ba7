package io.realtimegateway.presence;

/**
 * One session-pool entry as the backend API shows it.
 *
 * @param sid Socket.IO session id
 * @param userId the user's id
 * @param lastSeenAt unix seconds of the last connect, join or heartbeat
 */
public record SessionEntry(String sid, String userId, long lastSeenAt) {}
