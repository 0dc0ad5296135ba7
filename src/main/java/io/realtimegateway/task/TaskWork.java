package io.realtimegateway.task;

import io.smallrye.mutiny.Uni;

/** What a task does; {@link Tasks} lists it, runs it once and removes it when it ends. */
public interface TaskWork {

  /**
   * Runs the work to its end.
   *
   * @param taskId the task's id
   * @param stop tells the work when it is stopped; may already be requested when this is called
   * @return completes with how the task ended, once nothing of it runs any more
   */
  Uni<TaskOutcome> run(String taskId, TaskStop stop);

  /** Runs after the task left the registry, e.g. to tell clients that no task of a chat remains. */
  default Uni<Void> removed() {
    return Uni.createFrom().voidItem();
  }
}
