package io.realtimegateway.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TasksTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private SimpleMeterRegistry meters;
  private InMemoryTaskRegistry registry;
  private Tasks tasks;

  @BeforeEach
  void createTasks() {
    meters = new SimpleMeterRegistry();
    registry = new InMemoryTaskRegistry();
    tasks = new Tasks(registry, meters);
  }

  /** Runs until stopped or told to finish; records what happened to it. */
  static final class HeldWork implements TaskWork {
    final CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
    final CompletableFuture<List<String>> listedWhenRemoved = new CompletableFuture<>();
    final AtomicInteger stopActions = new AtomicInteger();
    private final TaskRegistry registry;
    private final String itemId;

    HeldWork(TaskRegistry registry, String itemId) {
      this.registry = registry;
      this.itemId = itemId;
    }

    @Override
    public Uni<TaskOutcome> run(String taskId, TaskStop stop) {
      stop.onStop(
          () -> {
            stopActions.incrementAndGet();
            outcome.complete(TaskOutcome.STOPPED);
          });
      return Uni.createFrom().completionStage(outcome);
    }

    @Override
    public Uni<Void> removed() {
      return registry.taskIdsOf(itemId).invoke(listedWhenRemoved::complete).replaceWithVoid();
    }
  }

  private String start(String chat, String user, TaskWork work) {
    return tasks.start(chat, user, work).await().atMost(WAIT);
  }

  @Test
  void listsATaskBeforeStartAnswersAndRemovesItWhenItEnds() {
    HeldWork work = new HeldWork(registry, "chat-1");
    String taskId = start("chat-1", "alice", work);

    assertThat(tasks.taskIds().await().atMost(WAIT)).containsExactly(taskId);
    assertThat(tasks.taskIdsOf("chat-1").await().atMost(WAIT)).containsExactly(taskId);
    assertThat(tasks.find(taskId).await().atMost(WAIT))
        .hasValue(new TaskEntry(taskId, "chat-1", "alice"));

    work.outcome.complete(TaskOutcome.FINISHED);

    assertThat(work.listedWhenRemoved.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join())
        .isEmpty();
    assertThat(tasks.taskIds().await().atMost(WAIT)).isEmpty();
    assertThat(tasks.runningHere()).isEmpty();
    assertThat(meters.get("gateway.tasks.ended").tag("outcome", "finished").counter().count())
        .isEqualTo(1);
  }

  @Test
  void stopsALocalTaskWithOpenWebUisMessage() {
    HeldWork work = new HeldWork(registry, "chat-1");
    String taskId = start("chat-1", "alice", work);

    StopResult result = tasks.stop(taskId).await().atMost(WAIT);

    assertThat(result).isEqualTo(new StopResult(true, "Task " + taskId + " successfully stopped."));
    assertThat(work.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(tasks.taskIdsOf("chat-1").await().atMost(WAIT)).isEmpty());
    assertThat(meters.get("gateway.tasks.ended").tag("outcome", "stopped").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("gateway.tasks.stop.latency").timer().count()).isEqualTo(1);
  }

  @Test
  void answersNotFoundForAnUnknownTaskWithoutThrowing() {
    assertThat(tasks.stop("no-such-task").await().atMost(WAIT))
        .isEqualTo(new StopResult(false, "Task with ID no-such-task not found."));
  }

  @Test
  void aStopRequestedTwiceRunsTheStopActionsOnce() {
    HeldWork work = new HeldWork(registry, "chat-1");
    String taskId = start("chat-1", "alice", work);

    tasks.stopHere(taskId, System.currentTimeMillis());
    tasks.stopHere(taskId, System.currentTimeMillis());

    assertThat(work.stopActions).hasValue(1);
  }

  @Test
  void aStopBeforeTheWorkRegistersItsActionStillStopsIt() {
    TaskStop stop = new TaskStop();
    stop.request();
    AtomicInteger ran = new AtomicInteger();

    stop.onStop(ran::incrementAndGet);

    assertThat(ran).hasValue(1);
    assertThat(stop.isRequested()).isTrue();
  }

  @Test
  void stopsEveryTaskOfAnItemAndSaysWhenThereIsNone() {
    HeldWork first = new HeldWork(registry, "chat-2");
    HeldWork second = new HeldWork(registry, "chat-2");
    HeldWork other = new HeldWork(registry, "chat-3");
    start("chat-2", "alice", first);
    start("chat-2", "alice", second);
    start("chat-3", "alice", other);

    assertThat(tasks.stopItem("chat-2").await().atMost(WAIT))
        .isEqualTo(new StopResult(true, "All tasks for item chat-2 stopped."));
    assertThat(first.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
    assertThat(second.outcome).isCompletedWithValue(TaskOutcome.STOPPED);
    assertThat(other.outcome).isNotDone();
    assertThat(tasks.stopItem("chat-9").await().atMost(WAIT))
        .isEqualTo(new StopResult(true, "No tasks found for item chat-9."));
  }

  @Test
  void aFailingTaskIsCountedAndRemoved() {
    String taskId =
        start(
            "chat-4",
            "alice",
            (id, stop) -> Uni.createFrom().failure(new IllegalStateException("upstream broke")));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(tasks.taskIds().await().atMost(WAIT)).doesNotContain(taskId));
    assertThat(meters.get("gateway.tasks.ended").tag("outcome", "failed").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aTaskTheRegistryCannotListIsNotStarted() {
    TaskRegistry broken = new UnreachableRegistry();
    Tasks failing = new Tasks(broken, new SimpleMeterRegistry());
    HeldWork work = new HeldWork(broken, "chat-5");

    Uni<String> started = failing.start("chat-5", "alice", work);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> started.await().atMost(WAIT))
        .hasMessageContaining("Redis is down");
    assertThat(failing.runningHere()).isEmpty();
  }

  /** A registry whose store is down: nothing can be listed. */
  private static final class UnreachableRegistry implements TaskRegistry {
    private final InMemoryTaskRegistry reads = new InMemoryTaskRegistry();

    @Override
    public Uni<Void> add(TaskEntry task) {
      return Uni.createFrom().failure(new IllegalStateException("Redis is down"));
    }

    @Override
    public Uni<Void> remove(TaskEntry task) {
      return reads.remove(task);
    }

    @Override
    public Uni<List<String>> taskIds() {
      return reads.taskIds();
    }

    @Override
    public Uni<List<String>> taskIdsOf(String itemId) {
      return reads.taskIdsOf(itemId);
    }

    @Override
    public Uni<java.util.Optional<TaskEntry>> find(String taskId) {
      return reads.find(taskId);
    }

    @Override
    public Uni<Boolean> broadcastStop(String taskId, String itemId) {
      return reads.broadcastStop(taskId, itemId);
    }
  }
}
