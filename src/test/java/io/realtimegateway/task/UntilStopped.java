package io.realtimegateway.task;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/** A task that runs until it is stopped, or until a test finishes it. */
final class UntilStopped implements TaskWork {

  final CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();

  @Override
  public Uni<TaskOutcome> run(String taskId, TaskStop stop) {
    stop.onStop(() -> outcome.complete(TaskOutcome.STOPPED));
    return Uni.createFrom().completionStage(outcome);
  }
}
