package io.realtimegateway.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtimegateway.room.MemberSets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The session pool of a single gateway process. */
@Singleton
@Typed(InMemorySessionPool.class)
public class InMemorySessionPool implements SessionPool {

  private final Map<String, Entry> usersBySid = new ConcurrentHashMap<>();

  /** The sids of each user, as {@link MemberSets} (a user has a few tabs). */
  private final Map<String, Set<String>> sidsByUser = new ConcurrentHashMap<>();

  /**
   * The user JSON as {@link #put} received it, shared and never changed here (every socket of a
   * user would otherwise hold a copy of its own), and when it was last seen.
   */
  private record Entry(ObjectNode user, String userId, long lastSeenAt) {
    ObjectNode json() {
      return user.deepCopy().put("last_seen_at", lastSeenAt);
    }
  }

  /** Keeps {@code user} itself, not a copy: the caller does not change it afterwards. */
  @Override
  public Uni<Void> put(String sid, ObjectNode user, long nowSeconds) {
    Entry entry = new Entry(user, user.path("id").asText(), nowSeconds);
    Entry previous = usersBySid.put(sid, entry);
    if (previous != null) {
      unindex(previous.userId(), sid);
    }
    sidsByUser.compute(entry.userId(), (id, sids) -> MemberSets.plus(sids, sid));
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Optional<ObjectNode>> get(String sid) {
    Entry entry = usersBySid.get(sid);
    return Uni.createFrom().item(Optional.ofNullable(entry == null ? null : entry.json()));
  }

  @Override
  public Uni<Boolean> touch(String sid, long nowSeconds) {
    Entry updated =
        usersBySid.computeIfPresent(
            sid, (key, entry) -> new Entry(entry.user(), entry.userId(), nowSeconds));
    return Uni.createFrom().item(updated != null);
  }

  @Override
  public Uni<Void> remove(String sid) {
    Entry removed = usersBySid.remove(sid);
    if (removed != null) {
      unindex(removed.userId(), sid);
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<List<SessionEntry>> sessions(Optional<String> userId) {
    Set<String> sids =
        userId.map(id -> sidsByUser.getOrDefault(id, Set.of())).orElse(usersBySid.keySet());
    List<SessionEntry> entries = new ArrayList<>();
    for (String sid : sids) {
      Entry entry = usersBySid.get(sid);
      if (entry != null) {
        entries.add(new SessionEntry(sid, entry.userId(), entry.lastSeenAt()));
      }
    }
    return Uni.createFrom().item(entries);
  }

  @Override
  public Uni<Integer> removeSeenBefore(long cutoffSeconds) {
    int removed = 0;
    for (Map.Entry<String, Entry> entry : usersBySid.entrySet()) {
      if (entry.getValue().lastSeenAt() < cutoffSeconds
          && usersBySid.remove(entry.getKey(), entry.getValue())) {
        unindex(entry.getValue().userId(), entry.getKey());
        removed++;
      }
    }
    return Uni.createFrom().item(removed);
  }

  private void unindex(String userId, String sid) {
    sidsByUser.computeIfPresent(userId, (id, sids) -> MemberSets.minus(sids, sid));
  }
}
