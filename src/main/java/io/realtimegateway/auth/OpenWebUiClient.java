package io.realtimegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheResult;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.realtimegateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the Open WebUI backend ({@code OPEN_WEBUI_BASE_URL}) what only its database knows: the
 * user's profile, their channels, their note access. Every call carries the user's own token, so
 * the backend applies its own permission rules. Non-blocking. Created at start-up: building the
 * HTTP client (its TLS set-up) takes seconds, which must not happen on an event loop at the first
 * connection. Without a configured backend no client is built: its TLS set-up alone loads about 600
 * JDK classes, a tenth of what the gateway loads to start.
 */
@Startup
@ApplicationScoped
public class OpenWebUiClient {

  /**
   * Statuses that are a definite "no": Open WebUI answers 401 for an invalid or revoked token, 403
   * when access is denied, 404 for no such user or note. Anything else is a failure.
   */
  private static final Set<Integer> REFUSALS = Set.of(401, 403, 404);

  private final Optional<URI> baseUrl;
  private final Duration timeout;
  private final ObjectMapper json;

  /** Null without a configured backend. */
  private final HttpClient http;

  public OpenWebUiClient(GatewayConfig config, ObjectMapper json) {
    this.baseUrl = config.auth().openWebuiBaseUrl();
    this.timeout = config.auth().backendTimeout();
    this.json = json;
    this.http =
        baseUrl.isPresent() ? HttpClient.newBuilder().connectTimeout(timeout).build() : null;
  }

  /** Whether a backend is configured; without one, channel and note joins are refused. */
  public boolean isConfigured() {
    return baseUrl.isPresent();
  }

  /**
   * The signed-in user ({@code GET /api/v1/auths/}); empty when the backend refuses the token (401,
   * 403, 404). Fails with {@link BackendUnavailableException} when there is no definite answer: the
   * cache keeps items only, so a backend hiccup is retried at the next attempt instead of locking
   * the user out for {@code gateway.auth.profile-cache-ttl}.
   */
  @CacheResult(cacheName = "open-webui-users")
  public Uni<Optional<JsonNode>> currentUser(String token) {
    return fetch("/api/v1/auths/", token);
  }

  /** Ids of the channels the user belongs to ({@code GET /api/v1/channels/}); none on failure. */
  public Uni<Set<String>> channelIds(String token) {
    return fetch("/api/v1/channels/", token)
        .onFailure(BackendUnavailableException.class)
        .recoverWithItem(Optional.empty())
        .map(
            body -> {
              Set<String> ids = new LinkedHashSet<>();
              body.filter(JsonNode::isArray)
                  .ifPresent(
                      channels ->
                          channels.forEach(
                              channel -> {
                                if (channel.path("id").isTextual()) {
                                  ids.add(channel.get("id").asText());
                                }
                              }));
              return ids;
            });
  }

  /**
   * Whether the user may read the note ({@code GET /api/v1/notes/{id}} answers 200); not when the
   * backend fails.
   */
  public Uni<Boolean> canReadNote(String token, String noteId) {
    return fetch("/api/v1/notes/" + URLEncoder.encode(noteId, StandardCharsets.UTF_8), token)
        .onFailure(BackendUnavailableException.class)
        .recoverWithItem(Optional.empty())
        .map(Optional::isPresent);
  }

  /**
   * A GET with the user's token: the body of a 200, empty for a refusal, a {@link
   * BackendUnavailableException} for anything else.
   */
  private Uni<Optional<JsonNode>> fetch(String path, String token) {
    if (baseUrl.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    URI uri = URI.create(baseUrl.get().toString().replaceAll("/+$", "") + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .onFailure()
        .transform(failure -> unavailable(uri, failure.toString()))
        .map(response -> answer(uri, response));
  }

  private Optional<JsonNode> answer(URI uri, HttpResponse<String> response) {
    int status = response.statusCode();
    if (REFUSALS.contains(status)) {
      Log.debugf("Open WebUI backend %s answered %d", uri, status);
      return Optional.empty();
    }
    if (status != 200) {
      throw unavailable(uri, "status " + status);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw unavailable(uri, "a body that is not JSON");
    }
    if (body == null || body.isMissingNode()) {
      throw unavailable(uri, "an empty body");
    }
    return Optional.of(body);
  }

  private static BackendUnavailableException unavailable(URI uri, String reason) {
    Log.warnf("Open WebUI backend %s failed: %s", uri, reason);
    return new BackendUnavailableException(uri + ": " + reason);
  }
}
