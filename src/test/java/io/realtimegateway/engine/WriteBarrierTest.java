package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The barrier behind the emit answer: it runs only after the loops written to got that far. */
class WriteBarrierTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void runsAfterEveryTaskQueuedEarlierOnTheLoopsNoted() throws Exception {
    Loop first = loop();
    Loop second = loop();
    CountDownLatch blockFirst = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    // The first loop is busy with an earlier write until the latch opens.
    first.context.runOnContext(
        ignored -> {
          waitFor(blockFirst);
          order.add("write on first");
        });
    second.context.runOnContext(ignored -> order.add("write on second"));

    WriteBarrier barrier = WriteBarrier.open();
    WriteBarrier.queued(first.thread, first.context);
    WriteBarrier.queued(second.thread, second.context);
    WriteBarrier.queued(first.thread, first.context);
    AtomicInteger written = new AtomicInteger();
    barrier.close(
        () -> {
          order.add("written");
          written.incrementAndGet();
        });

    // The first loop cannot have run the barrier's task: it is still in the earlier one.
    assertThat(written).hasValue(0);
    blockFirst.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> written.get() == 1);
    assertThat(order).endsWith("written").contains("write on first", "write on second");
  }

  @Test
  void runsAtOnceWhenNothingWasQueuedAndNotesNothingOnceClosed() throws Exception {
    AtomicInteger written = new AtomicInteger();
    WriteBarrier.open().close(written::incrementAndGet);
    assertThat(written).hasValue(1);

    // Closed: a later write from this thread belongs to no barrier.
    Loop loop = loop();
    WriteBarrier.queued(loop.thread, loop.context);
    WriteBarrier.open().close(written::incrementAndGet);
    assertThat(written).hasValue(2);
  }

  @Test
  void aDiscardedBarrierNeverRuns() throws Exception {
    Loop loop = loop();
    WriteBarrier barrier = WriteBarrier.open();
    WriteBarrier.queued(loop.thread, loop.context);
    barrier.discard();
    AtomicInteger written = new AtomicInteger();
    WriteBarrier.open().close(written::incrementAndGet);
    assertThat(written).hasValue(1);
  }

  private record Loop(Context context, Thread thread) {}

  /** A new event-loop context and its thread. */
  private Loop loop() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    context.runOnContext(ignored -> thread.complete(Thread.currentThread()));
    return new Loop(context, thread.get(5, TimeUnit.SECONDS));
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
