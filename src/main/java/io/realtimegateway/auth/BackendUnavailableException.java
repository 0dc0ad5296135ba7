package io.realtimegateway.auth;

/**
 * The Open WebUI backend gave no definite answer: unreachable, timed out, a status other than 200,
 * 401, 403 or 404, or a body that is not JSON. Unlike a refusal, it says nothing about the user, so
 * it is never cached.
 */
public class BackendUnavailableException extends RuntimeException {

  public BackendUnavailableException(String message) {
    super(message);
  }
}
