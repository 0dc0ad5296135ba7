package io.realtimegateway.job;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FailingJobProfile.class)
class FailingJobTest {

  @Inject FailingUsagePool pool;

  @Test
  void cleanupThatFailsKeepsRunningOnSchedule() {
    // Every run fails; the job is still scheduled run after run.
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.cleanupAttempts() >= 4);
  }
}
