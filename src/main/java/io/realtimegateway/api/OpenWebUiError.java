package io.realtimegateway.api;

/**
 * An error of the Open WebUI-compatible API under {@code /api}, answered as Open WebUI (FastAPI)
 * answers it: the status and {@code {"detail": message}}.
 */
public final class OpenWebUiError extends RuntimeException {

  /** Open WebUI's {@code ERROR_MESSAGES.NOT_FOUND}. */
  static final String NOT_FOUND = "We could not find what you're looking for :/";

  /** Open WebUI's {@code ERROR_MESSAGES.ACCESS_PROHIBITED}, answered by its admin-only routes. */
  static final String ACCESS_PROHIBITED =
      "You do not have permission to access this resource. Please contact your administrator for"
          + " assistance.";

  /** Open WebUI's answer to a request without a token. */
  static final String NOT_AUTHENTICATED = "Not authenticated";

  /** Open WebUI's {@code ERROR_MESSAGES.INVALID_TOKEN}. */
  static final String INVALID_TOKEN =
      "Your session has expired or the token is invalid. Please sign in again.";

  private final int status;

  public OpenWebUiError(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  static OpenWebUiError notFound() {
    return new OpenWebUiError(404, NOT_FOUND);
  }

  static OpenWebUiError accessProhibited() {
    return new OpenWebUiError(401, ACCESS_PROHIBITED);
  }
}
