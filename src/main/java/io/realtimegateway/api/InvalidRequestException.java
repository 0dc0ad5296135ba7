package io.realtimegateway.api;

/** A request body that does not have the documented shape; answered 400 naming the field. */
public class InvalidRequestException extends RuntimeException {

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
