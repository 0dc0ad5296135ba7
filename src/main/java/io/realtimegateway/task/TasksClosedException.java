package io.realtimegateway.task;

/** A task was asked for after the replica began to drain: it is not started. */
public final class TasksClosedException extends IllegalStateException {

  public TasksClosedException() {
    super("This replica is shutting down and starts no new task; try again");
  }
}
