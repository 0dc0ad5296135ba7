package io.realtimegateway.task;

/**
 * A task as the registry lists it.
 *
 * @param taskId uuid of the task
 * @param itemId what the task works on (a chat id), or empty
 * @param userId the user who started it; empty for a task another program (Open WebUI) registered
 */
public record TaskEntry(String taskId, String itemId, String userId) {

  public TaskEntry {
    itemId = itemId == null ? "" : itemId;
    userId = userId == null ? "" : userId;
  }

  /** Whether {@code user} started this task. */
  public boolean isOwnedBy(String user) {
    return !userId.isEmpty() && userId.equals(user);
  }
}
