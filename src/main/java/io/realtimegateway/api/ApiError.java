package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every error answer of the HTTP API.
 *
 * @param error what went wrong, for a person
 * @param field the request field at fault, when one is
 * @param item the index of the element at fault in a batch body (emit), when the body is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ApiError(String error, String field, Integer item) {

  public ApiError(String error, String field) {
    this(error, field, null);
  }

  public static ApiError of(String error) {
    return new ApiError(error, null, null);
  }
}
