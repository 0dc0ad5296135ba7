package io.realtimegateway.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs tasks on this replica and stops them wherever they run: Open WebUI's {@code tasks.py}. A
 * task is listed before {@link #start} answers (as Open WebUI awaits its Redis write), runs, and
 * leaves the registry when it ends in any way. Stops come from the HTTP API of any replica and from
 * Redis ({@code {prefix}:tasks:commands}). Created at start-up, so that its metrics exist before
 * the first task.
 */
@Startup
@ApplicationScoped
public class Tasks {

  private record Running(TaskEntry entry, TaskStop stop) {}

  private final TaskRegistry registry;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Counter started;
  private final Map<TaskOutcome, Counter> ended = new EnumMap<>(TaskOutcome.class);
  private final Timer stopLatency;
  private volatile boolean closed;

  public Tasks(TaskRegistry registry, MeterRegistry meters) {
    this.registry = registry;
    Gauge.builder("gateway.tasks.running", running, Map::size)
        .description("Tasks running on this replica")
        .register(meters);
    this.started =
        Counter.builder("gateway.tasks.started")
            .description("Tasks started on this replica")
            .register(meters);
    for (TaskOutcome outcome : TaskOutcome.values()) {
      ended.put(
          outcome,
          Counter.builder("gateway.tasks.ended")
              .description("Tasks that ended on this replica, by outcome")
              .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
              .register(meters));
    }
    this.stopLatency =
        Timer.builder("gateway.tasks.stop.latency")
            .description("From a stop request (on any replica) to the task's stop actions run here")
            .publishPercentileHistogram()
            .register(meters);
  }

  /**
   * Lists and starts a task.
   *
   * @param itemId the chat (or other item) it works on, may be empty
   * @param userId the user who starts it
   * @return the task id, once the task is listed; fails when the registry cannot list it, and with
   *     {@link TasksClosedException} once the replica drains
   */
  public Uni<String> start(String itemId, String userId, TaskWork work) {
    if (closed) {
      return Uni.createFrom().failure(new TasksClosedException());
    }
    TaskEntry entry = new TaskEntry(UUID.randomUUID().toString(), itemId, userId);
    Running task = new Running(entry, new TaskStop());
    running.put(entry.taskId(), task);
    return registry
        .add(entry)
        .onFailure()
        .invoke(() -> running.remove(entry.taskId()))
        .invoke(
            () -> {
              started.increment();
              launch(task, work);
            })
        .replaceWith(entry.taskId());
  }

  private void launch(Running task, TaskWork work) {
    String taskId = task.entry().taskId();
    Uni.createFrom()
        .deferred(() -> work.run(taskId, task.stop()))
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf(failure, "task %s failed", taskId);
              return TaskOutcome.FAILED;
            })
        .chain(
            outcome -> {
              ended.get(outcome).increment();
              running.remove(taskId);
              return registry
                  .remove(task.entry())
                  .onFailure()
                  .recoverWithUni(
                      failure -> {
                        // The replica's next renewal removes what is left (RedisTaskRegistry).
                        Log.warnf(
                            "task %s: could not be removed from the registry: %s", taskId, failure);
                        return Uni.createFrom().voidItem();
                      });
            })
        .chain(work::removed)
        .subscribe()
        .with(ignored -> {}, failure -> Log.warnf(failure, "task %s: clean-up failed", taskId));
  }

  /** The task with this id, running here or listed by the registry. */
  public Uni<Optional<TaskEntry>> find(String taskId) {
    Running here = running.get(taskId);
    if (here != null) {
      return Uni.createFrom().item(Optional.of(here.entry()));
    }
    return registry.find(taskId);
  }

  /** Every listed task id. */
  public Uni<List<String>> taskIds() {
    return registry.taskIds();
  }

  /** The task ids of one item (chat). */
  public Uni<List<String>> taskIdsOf(String itemId) {
    return registry.taskIdsOf(itemId);
  }

  /**
   * The replica drains: no task starts from now on, and every task running here is stopped through
   * the normal stop path (its user's tabs hear {@code chat:tasks:cancel}). Returns at once; {@link
   * #runningHere} empties as they end.
   */
  public void stopAllHere() {
    closed = true;
    for (Running task : running.values()) {
      stop(task.entry().taskId(), task.entry().itemId())
          .subscribe()
          .with(
              ignored -> {},
              failure ->
                  Log.warnf("task %s: stop at drain failed: %s", task.entry().taskId(), failure));
    }
  }

  /** The tasks running on this replica. */
  public List<TaskEntry> runningHere() {
    return running.values().stream().map(Running::entry).toList();
  }

  /**
   * Stops a task wherever it runs, with Open WebUI's answers: with shared tasks {@code "Task {id}
   * stopped."} always (the owner may be another process); without, {@code "Task {id} successfully
   * stopped."} or {@code "Task with ID {id} not found."} with status false.
   */
  public Uni<StopResult> stop(String taskId) {
    Running here = running.get(taskId);
    if (here != null) {
      return stop(taskId, here.entry().itemId());
    }
    return registry
        .find(taskId)
        .chain(found -> stop(taskId, found.map(TaskEntry::itemId).orElse("")));
  }

  /** {@link #stop(String)} for a task whose item is known already (no registry look-up). */
  public Uni<StopResult> stop(String taskId, String itemId) {
    long requestedAt = System.currentTimeMillis();
    boolean here = running.containsKey(taskId);
    if (here) {
      stopHere(taskId, requestedAt);
    }
    return registry
        .broadcastStop(taskId, itemId)
        .map(
            shared -> {
              if (shared) {
                return new StopResult(true, "Task " + taskId + " stopped.");
              }
              if (here) {
                return new StopResult(true, "Task " + taskId + " successfully stopped.");
              }
              return new StopResult(false, "Task with ID " + taskId + " not found.");
            });
  }

  /**
   * Stops every task of an item. Goes on when one stop fails, as Open WebUI 0.11.4 does, and then
   * answers with that failure.
   */
  public Uni<StopResult> stopItem(String itemId) {
    return registry
        .taskIdsOf(itemId)
        .chain(
            ids -> {
              if (ids.isEmpty()) {
                return Uni.createFrom()
                    .item(new StopResult(true, "No tasks found for item " + itemId + "."));
              }
              return Multi.createFrom()
                  .iterable(ids)
                  .onItem()
                  .transformToUniAndConcatenate(
                      id ->
                          stop(id, itemId)
                              .onFailure()
                              .recoverWithItem(
                                  failure -> new StopResult(false, failure.getMessage())))
                  .collect()
                  .asList()
                  .map(
                      results ->
                          results.stream()
                              .filter(result -> !result.status())
                              .findFirst()
                              .orElse(
                                  new StopResult(
                                      true, "All tasks for item " + itemId + " stopped.")));
            });
  }

  /**
   * Stops a task if it runs here; anything else (an unknown id, a task of another replica) costs a
   * debug line. Called for stop commands from Redis.
   *
   * @param requestedAt when the stop was asked for (epoch ms), for the stop latency; 0 if unknown
   */
  public void stopHere(String taskId, long requestedAt) {
    Running here = running.get(taskId);
    if (here == null) {
      Log.debugf("stop for task %s: not running here", taskId);
      return;
    }
    boolean first = !here.stop().isRequested();
    here.stop().request();
    if (first && requestedAt > 0) {
      stopLatency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - requestedAt)));
    }
  }
}
