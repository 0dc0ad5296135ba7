package io.realtimegateway.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad requests become 400 with a JSON {@link ApiError}, never a stack trace. */
public class ApiExceptionMappers {

  @ServerExceptionMapper
  public Response invalidRequest(InvalidRequestException e) {
    Log.debugf("bad API request: %s", e.getMessage());
    return Response.status(Response.Status.BAD_REQUEST)
        .entity(new ApiError(e.getMessage(), e.field()))
        .build();
  }
}
