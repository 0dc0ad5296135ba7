package io.realtimegateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublishFailuresTest {

  private final AtomicLong now = new AtomicLong(123_456_789L);
  private final PublishFailures failures = new PublishFailures(Duration.ofSeconds(10), now::get);

  @Test
  void firstFailureIsLoggedAtOnce() {
    assertThat(failures.failed()).isZero();
  }

  @Test
  void failuresWithinTheIntervalAreCountedAndLoggedWithTheNextWarning() {
    failures.failed();
    for (int i = 0; i < 1000; i++) {
      assertThat(failures.failed()).isEqualTo(-1);
    }
    advance(Duration.ofSeconds(9));
    assertThat(failures.failed()).isEqualTo(-1);
    advance(Duration.ofSeconds(1));
    assertThat(failures.failed()).isEqualTo(1001);
    assertThat(failures.failed()).isEqualTo(-1);
  }

  @Test
  void successAfterAWarningIsLoggedOnceWithTheFailuresLeftOut() {
    failures.failed();
    failures.failed();
    failures.failed();
    assertThat(failures.succeeded()).isEqualTo(2);
    assertThat(failures.succeeded()).isEqualTo(-1);
  }

  @Test
  void successWithoutFailureLogsNothing() {
    assertThat(failures.succeeded()).isEqualTo(-1);
  }

  @Test
  void flappingPublishesLogAtMostOneWarningAndOneRecoveryPerInterval() {
    int lines = 0;
    for (int i = 0; i < 20_000; i++) {
      lines += failures.failed() >= 0 ? 1 : 0;
      lines += failures.succeeded() >= 0 ? 1 : 0;
      advance(Duration.ofMillis(1));
    }
    // 20 s of failures and successes taking turns: a warning and a recovery line per 10 s.
    assertThat(lines).isEqualTo(4);
  }

  @Test
  void failureAfterRecoveryWithinTheIntervalIsReportedWithTheNextWarning() {
    failures.failed();
    failures.succeeded();
    assertThat(failures.failed()).isEqualTo(-1);
    advance(Duration.ofSeconds(10));
    assertThat(failures.failed()).isEqualTo(1);
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }
}
