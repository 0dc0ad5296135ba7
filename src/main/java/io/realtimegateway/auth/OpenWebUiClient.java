package io.realtimegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheResult;
import io.quarkus.logging.Log;
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
 * the backend applies its own permission rules. Non-blocking.
 */
@ApplicationScoped
public class OpenWebUiClient {

  private final Optional<URI> baseUrl;
  private final Duration timeout;
  private final ObjectMapper json;
  private final HttpClient http;

  public OpenWebUiClient(GatewayConfig config, ObjectMapper json) {
    this.baseUrl = config.auth().openWebuiBaseUrl();
    this.timeout = config.auth().backendTimeout();
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Whether a backend is configured; without one, channel and note joins are refused. */
  public boolean isConfigured() {
    return baseUrl.isPresent();
  }

  /** The signed-in user ({@code GET /api/v1/auths/}); empty when the backend refuses the token. */
  @CacheResult(cacheName = "open-webui-users")
  public Uni<Optional<JsonNode>> currentUser(String token) {
    return get("/api/v1/auths/", token);
  }

  /** Ids of the channels the user belongs to ({@code GET /api/v1/channels/}). */
  public Uni<Set<String>> channelIds(String token) {
    return get("/api/v1/channels/", token)
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

  /** Whether the user may read the note ({@code GET /api/v1/notes/{id}} answers 200). */
  public Uni<Boolean> canReadNote(String token, String noteId) {
    return get("/api/v1/notes/" + URLEncoder.encode(noteId, StandardCharsets.UTF_8), token)
        .map(Optional::isPresent);
  }

  private Uni<Optional<JsonNode>> get(String path, String token) {
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
        .map(response -> parse(uri, response))
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf("Open WebUI backend %s failed: %s", uri, failure.toString());
              return Optional.empty();
            });
  }

  private Optional<JsonNode> parse(URI uri, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      Log.debugf("Open WebUI backend %s answered %d", uri, response.statusCode());
      return Optional.empty();
    }
    try {
      return Optional.of(json.readTree(response.body()));
    } catch (IOException e) {
      Log.warnf("Open WebUI backend %s answered invalid JSON", uri);
      return Optional.empty();
    }
  }
}
