package io.realtimegateway.presence;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One session-pool entry as the backend API and the console show it.
 *
 * @param sid Socket.IO session id
 * @param userId the user's id
 * @param lastSeenAt unix seconds of the last connect, join or heartbeat
 */
@RegisterForReflection
public record SessionEntry(
    String sid,
    @JsonProperty("user_id") String userId,
    @JsonProperty("last_seen_at") long lastSeenAt) {}
