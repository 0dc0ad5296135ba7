package io.realtimegateway.completion;

/** Where a reply comes from: the model server, or the built-in echo model. */
interface ReplySource {

  /**
   * Starts producing the reply. Must be called on a Vert.x context; the sink is called on it.
   *
   * @return aborts the reply; called on the same context, at most once, and the sink hears nothing
   *     afterwards. For the model server it closes the connection, so the server sees the request
   *     end at once.
   */
  Runnable start(ReplySink sink);
}
