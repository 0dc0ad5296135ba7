package io.realtimegateway.completion;

/**
 * The model server could not answer a synchronous request: its own error status, or 502 when it
 * could not be reached or broke off. The message is what the user is shown.
 */
public final class ModelServerException extends RuntimeException {

  private final int status;

  public ModelServerException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
