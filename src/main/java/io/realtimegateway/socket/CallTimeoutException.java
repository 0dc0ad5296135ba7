package io.realtimegateway.socket;

import java.time.Duration;

/** A socket did not acknowledge a call in time. */
public class CallTimeoutException extends RuntimeException {
  public CallTimeoutException(String sid, Duration timeout) {
    super("No acknowledgement from " + sid + " within " + timeout.toMillis() + " ms");
  }
}
