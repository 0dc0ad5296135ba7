package io.realtimegateway.task;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The registry of a gateway without Redis: the tasks of this process. */
@Singleton
@Typed(InMemoryTaskRegistry.class)
public final class InMemoryTaskRegistry implements TaskRegistry {

  private final Map<String, TaskEntry> tasks = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byItem = new ConcurrentHashMap<>();

  @Override
  public Uni<Void> add(TaskEntry task) {
    tasks.put(task.taskId(), task);
    if (!task.itemId().isEmpty()) {
      byItem
          .computeIfAbsent(task.itemId(), item -> ConcurrentHashMap.newKeySet())
          .add(task.taskId());
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Void> remove(TaskEntry task) {
    tasks.remove(task.taskId());
    byItem.computeIfPresent(
        task.itemId(),
        (item, ids) -> {
          ids.remove(task.taskId());
          return ids.isEmpty() ? null : ids;
        });
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<List<String>> taskIds() {
    return Uni.createFrom().item(List.copyOf(tasks.keySet()));
  }

  @Override
  public Uni<List<String>> taskIdsOf(String itemId) {
    return Uni.createFrom().item(List.copyOf(byItem.getOrDefault(itemId, Set.of())));
  }

  @Override
  public Uni<Optional<TaskEntry>> find(String taskId) {
    return Uni.createFrom().item(Optional.ofNullable(tasks.get(taskId)));
  }

  @Override
  public Uni<Boolean> broadcastStop(String taskId, String itemId) {
    return Uni.createFrom().item(false);
  }
}
