package io.realtimegateway.api;

/**
 * A request body that does not have the documented shape; answered 400 naming the field, and the
 * element of a batch when the body is one.
 */
public class InvalidRequestException extends RuntimeException {

  private final String field;
  private final Integer item;

  public InvalidRequestException(String field, String message) {
    this(field, null, message);
  }

  /**
   * @param item the index of the batch element at fault, {@code null} when the body is not a batch
   */
  public InvalidRequestException(String field, Integer item, String message) {
    super(message);
    this.field = field;
    this.item = item;
  }

  public String field() {
    return field;
  }

  /** The index of the batch element at fault, or {@code null}. */
  public Integer item() {
    return item;
  }
}
