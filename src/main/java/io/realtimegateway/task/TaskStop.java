package io.realtimegateway.task;

import java.util.ArrayList;
import java.util.List;

/**
 * The stop request of one task. The work registers what stopping means for it (abort the upstream
 * request, end the reply); a stop requested before that runs the action at once, so a task stopped
 * before its first step still ends properly. Thread-safe: stops come from HTTP requests and from
 * Redis, the work runs on its own context.
 */
public final class TaskStop {

  private final List<Runnable> actions = new ArrayList<>(2);
  private boolean requested;

  /** Asks the task to stop; runs its stop actions once. */
  public void request() {
    List<Runnable> toRun;
    synchronized (this) {
      if (requested) {
        return;
      }
      requested = true;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** Whether a stop was requested. */
  public synchronized boolean isRequested() {
    return requested;
  }

  /** Runs {@code action} when the task is stopped, or now when it already is. */
  public void onStop(Runnable action) {
    synchronized (this) {
      if (!requested) {
        actions.add(action);
        return;
      }
    }
    action.run();
  }
}
