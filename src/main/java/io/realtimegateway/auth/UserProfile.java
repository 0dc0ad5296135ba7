package io.realtimegateway.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The user behind a socket.
 *
 * @param id Open WebUI user id
 * @param name display name ({@code id} when unknown)
 * @param role {@code user} or {@code admin}
 * @param record the user object stored in the session pool (Open WebUI's {@code UserModel} fields
 *     that are known)
 */
public record UserProfile(String id, String name, String role, ObjectNode record) {

  /** Open WebUI's {@code UserNameResponse}: what channel events carry about a user. */
  public ObjectNode nameResponse() {
    ObjectNode user = record.objectNode();
    user.put("id", id);
    user.put("name", name);
    user.put("role", role);
    return user;
  }
}
