package io.realtimegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every error answer of the HTTP API.
 *
 * @param error what went wrong, for a person
 * @param field the request field at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ApiError(String error, String field) {

  public static ApiError of(String error) {
    return new ApiError(error, null);
  }
}
