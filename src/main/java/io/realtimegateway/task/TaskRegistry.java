package io.realtimegateway.task;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Where running tasks are listed: in this process, or in Redis in Open WebUI's layout so that every
 * replica and Open WebUI's Python instances list the same tasks.
 */
public interface TaskRegistry {

  /** Lists a task that starts running here. */
  Uni<Void> add(TaskEntry task);

  /** Removes a task that ended here. */
  Uni<Void> remove(TaskEntry task);

  /** Every listed task id, on every replica. */
  Uni<List<String>> taskIds();

  /** The task ids of one item (chat). */
  Uni<List<String>> taskIdsOf(String itemId);

  /** A listed task with its item and, when the gateway started it, its owner. */
  Uni<Optional<TaskEntry>> find(String taskId);

  /**
   * Tells every replica to stop a task and removes it from the lists, whoever runs it.
   *
   * @return false when tasks are not shared between processes (nothing was sent)
   */
  Uni<Boolean> broadcastStop(String taskId, String itemId);
}
