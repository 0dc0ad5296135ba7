package io.realtimegateway.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  private final Map<String, ObjectNode> usersBySid = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> sidsByUser = new ConcurrentHashMap<>();

  @Override
  public Uni<Void> put(String sid, ObjectNode user, long nowSeconds) {
    ObjectNode entry = user.deepCopy();
    entry.put("last_seen_at", nowSeconds);
    ObjectNode previous = usersBySid.put(sid, entry);
    if (previous != null) {
      unindex(previous.path("id").asText(), sid);
    }
    sidsByUser
        .computeIfAbsent(
            entry.path("id").asText(), id -> ConcurrentHashMap.newKeySet(2)) // a user has few tabs
        .add(sid);
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Optional<ObjectNode>> get(String sid) {
    ObjectNode entry = usersBySid.get(sid);
    return Uni.createFrom().item(Optional.ofNullable(entry == null ? null : entry.deepCopy()));
  }

  @Override
  public Uni<Boolean> touch(String sid, long nowSeconds) {
    ObjectNode updated =
        usersBySid.computeIfPresent(
            sid, (key, entry) -> entry.deepCopy().put("last_seen_at", nowSeconds));
    return Uni.createFrom().item(updated != null);
  }

  @Override
  public Uni<Void> remove(String sid) {
    ObjectNode removed = usersBySid.remove(sid);
    if (removed != null) {
      unindex(removed.path("id").asText(), sid);
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<List<SessionEntry>> sessions(Optional<String> userId) {
    Set<String> sids =
        userId.map(id -> sidsByUser.getOrDefault(id, Set.of())).orElse(usersBySid.keySet());
    List<SessionEntry> entries = new ArrayList<>();
    for (String sid : sids) {
      ObjectNode entry = usersBySid.get(sid);
      if (entry != null) {
        entries.add(
            new SessionEntry(sid, entry.path("id").asText(), entry.path("last_seen_at").asLong()));
      }
    }
    return Uni.createFrom().item(entries);
  }

  @Override
  public Uni<Integer> removeSeenBefore(long cutoffSeconds) {
    int removed = 0;
    for (Map.Entry<String, ObjectNode> entry : usersBySid.entrySet()) {
      if (entry.getValue().path("last_seen_at").asLong() < cutoffSeconds
          && usersBySid.remove(entry.getKey(), entry.getValue())) {
        unindex(entry.getValue().path("id").asText(), entry.getKey());
        removed++;
      }
    }
    return Uni.createFrom().item(removed);
  }

  private void unindex(String userId, String sid) {
    sidsByUser.computeIfPresent(
        userId,
        (id, sids) -> {
          sids.remove(sid);
          return sids.isEmpty() ? null : sids;
        });
  }
}
