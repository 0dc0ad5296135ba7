package io.realtimegateway.redis;

/**
 * Redis keys: Open WebUI's, under {@code REDIS_KEY_PREFIX}, and the gateway's own replica
 * bookkeeping under {@code {prefix}:gateway:}.
 */
public record RedisKeys(String prefix) {

  /** Open WebUI's SESSION_POOL hash: sid -> user JSON with last_seen_at. */
  public String sessionPool() {
    return prefix + ":session_pool";
  }

  /** Open WebUI's USAGE_POOL hash: model -> {sid: {updated_at}}. */
  public String usagePool() {
    return prefix + ":usage_pool";
  }

  /** Set of gateway replicas that may hold sessions. */
  public String nodes() {
    return prefix + ":gateway:nodes";
  }

  /** A replica's liveness key; it expires when the replica stops renewing it. */
  public String nodeAlive(String nodeId) {
    return prefix + ":gateway:node:" + nodeId + ":alive";
  }

  /** The sids a replica holds, so survivors can clean up after it. */
  public String nodeSessions(String nodeId) {
    return prefix + ":gateway:node:" + nodeId + ":sids";
  }

  /** Open WebUI's cleanup locks: {@code usage_cleanup_lock}, {@code session_cleanup_lock}. */
  public String lock(String name) {
    return prefix + ":" + name;
  }

  /** Open WebUI's per-token revocation mark. */
  public String revokedToken(String jti) {
    return prefix + ":auth:token:" + jti + ":revoked";
  }

  /** Open WebUI's per-user revocation time (unix seconds). */
  public String userRevokedAt(String userId) {
    return prefix + ":auth:user:" + userId + ":revoked_at";
  }

  /** Open WebUI's task registry hash: task id -> item id (or empty). */
  public String tasks() {
    return prefix + ":tasks";
  }

  /** Open WebUI's set of the task ids of one item (chat). */
  public String itemTasks(String itemId) {
    return prefix + ":tasks:item:" + itemId;
  }

  /** Open WebUI's task command channel ({@code {"action": "stop", "task_id"}}). */
  public String taskCommands() {
    return prefix + ":tasks:commands";
  }

  /** The gateway's record of a task it runs (owner, item, replica); expires unless renewed. */
  public String taskRecord(String taskId) {
    return prefix + ":gateway:task:" + taskId;
  }

  /** A stop published for a task, kept briefly for an owner that was cut off from Redis. */
  public String taskStopMarker(String taskId) {
    return prefix + ":gateway:task:" + taskId + ":stop";
  }

  /** The task ids a replica runs, so survivors can remove them if it dies. */
  public String nodeTasks(String nodeId) {
    return prefix + ":gateway:node:" + nodeId + ":tasks";
  }

  /** The gateway replicas' HTTP addresses: node id -> host:port, for forwarded polls. */
  public String nodeAddresses() {
    return prefix + ":gateway:addresses";
  }

  /** Open WebUI 0.11.4's channel for the chunks of direct connections. */
  public String directCompletion() {
    return prefix + ":direct_completion";
  }
}
