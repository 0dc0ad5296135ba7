package io.realtimegateway.socket;

/** A call to a socket that already has its limit of calls waiting for an answer. */
public final class TooManyCallsException extends RuntimeException {

  public TooManyCallsException(String sid, int limit) {
    super(
        "Session " + sid + " already has " + limit + " calls waiting for an answer.",
        null,
        false,
        false);
  }
}
