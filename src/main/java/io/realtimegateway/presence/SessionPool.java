package io.realtimegateway.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Open WebUI's {@code SESSION_POOL}: sid to user JSON with {@code last_seen_at}, plus the user to
 * sids lookup. In memory here; the Redis implementation shares it with Open WebUI.
 */
public interface SessionPool {

  /**
   * Stores the user JSON of a sid with {@code last_seen_at = nowSeconds}. The pool may keep {@code
   * user} itself rather than a copy: callers do not change it afterwards.
   */
  Uni<Void> put(String sid, ObjectNode user, long nowSeconds);

  /** The user JSON of a sid. */
  Uni<Optional<ObjectNode>> get(String sid);

  /** Refreshes {@code last_seen_at} of an existing entry; false when there is none. */
  Uni<Boolean> touch(String sid, long nowSeconds);

  /** Removes a sid (disconnect). */
  Uni<Void> remove(String sid);

  /** Every entry; of one user when {@code userId} is present. */
  Uni<List<SessionEntry>> sessions(Optional<String> userId);

  /** Removes entries last seen before {@code cutoffSeconds}; returns how many. */
  Uni<Integer> removeSeenBefore(long cutoffSeconds);
}
