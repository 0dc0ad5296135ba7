package io.realtimegateway.task;

/** How a task ended. */
public enum TaskOutcome {
  /** It did all its work. */
  FINISHED,
  /** Someone stopped it. */
  STOPPED,
  /** It failed (its upstream broke, answered an error, or sent what could not be read). */
  FAILED
}
