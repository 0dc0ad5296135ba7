package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.Manifests.gatewayContainer;
import static io.realtimegateway.deploy.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes files of k8s/ (the kustomize overlays, rendered by {@code kubectl kustomize}, and
 * the Helm chart, read as YAML and text) against the gateway they deploy: its health paths and
 * port, the environment variables it reads, its drain, its Socket.IO path. A fact that drifts on
 * either side fails here.
 */
class KubernetesManifestsTest {

  private static final Path K8S = Path.of("k8s");
  private static final Path CHART = K8S.resolve("helm/realtime-gateway");

  // Quarkus' defaults, which application.properties keeps (checked below) and
  // HealthAndMetricsTest serves.
  private static final String LIVENESS_PATH = "/q/health/live";
  private static final String READINESS_PATH = "/q/health/ready";
  private static final String METRICS_PATH = "/q/metrics";
  private static final List<String> PATH_SETTINGS =
      List.of(
          "quarkus.http.root-path",
          "quarkus.http.non-application-root-path",
          "quarkus.smallrye-health.root-path",
          "quarkus.smallrye-health.liveness-path",
          "quarkus.smallrye-health.readiness-path",
          "quarkus.micrometer.export.prometheus.path");

  private static final Pattern VALUES_REFERENCE =
      Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
  private static final Pattern TEMPLATE_ENV_NAME =
      Pattern.compile("(?m)^\\s*-\\s+name:\\s+([A-Z][A-Z0-9_]*)\\s*$");
  private static final Pattern TEMPLATE_DATA_KEY = Pattern.compile("(?m)^  ([A-Z][A-Z0-9_]*):\\s");

  private static AppSettings app;
  private static boolean kubectl;
  private static final Map<String, Manifests> rendered = new HashMap<>();

  @BeforeAll
  static void readTheApp() {
    app = AppSettings.load();
    kubectl = Manifests.kubectlInstalled();
  }

  private static Manifests overlay(String name) {
    assumeTrue(
        kubectl,
        "kubectl is not installed: the kustomize overlays are not rendered (the Helm chart is still"
            + " checked); install kubectl to check them");
    return rendered.computeIfAbsent(name, n -> Manifests.kustomize(K8S.resolve("overlays/" + n)));
  }

  // --- what the checks rely on ---

  @Test
  void theAppKeepsQuarkusDefaultHealthAndMetricsPaths() {
    assertThat(PATH_SETTINGS).allSatisfy(key -> assertThat(app.property(key)).as(key).isNull());
  }

  @Test
  void theVariablesTheAppReadsAreDerivedFromItsCode() {
    assertThat(app.environmentVariables())
        .contains(
            "WEBUI_SECRET_KEY",
            "WEBSOCKET_MANAGER",
            "PORT",
            "GATEWAY_ENGINE_MAX_PAYLOAD",
            "GATEWAY_CLUSTER_ADVERTISED_ADDRESS",
            "WEBSOCKET_REDIS_URL",
            "REDIS_URL",
            "WEBSOCKET_SENTINEL_PORT",
            "REDIS_CLUSTER",
            "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")
        .doesNotContain("GATEWAY_ENGINE", "GATEWAY_CLUSTER_REDIS", "WEBSOCKET_REDIS_PASSWORD");
  }

  // --- kustomize overlays ---

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void probesUseTheAppsHealthPathsOnTheContainerPortItListensOn(String name) {
    JsonNode container = gatewayContainer(overlay(name).gateway());
    int appPort = appPort(overlay(name), container);

    Map<String, String> probePaths = new LinkedHashMap<>();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.isObject()).as(probe).isTrue();
      probePaths.put(probe, get.path("path").asText());
      assertThat(containerPort(container, get.path("port"))).as(probe + " port").isEqualTo(appPort);
    }
    assertThat(probePaths)
        .containsEntry("livenessProbe", LIVENESS_PATH)
        .containsEntry("readinessProbe", READINESS_PATH);
    assertThat(probePaths.get("startupProbe")).isIn(LIVENESS_PATH, READINESS_PATH);
    assertThat(port(container, "http").path("containerPort").asInt()).isEqualTo(appPort);
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void setsOnlyEnvironmentVariablesTheAppReads(String name) {
    Manifests manifests = overlay(name);
    JsonNode container = gatewayContainer(manifests.gateway());
    Set<String> set = new TreeSet<>();
    container.path("env").forEach(env -> set.add(env.path("name").asText()));
    for (JsonNode source : container.path("envFrom")) {
      if (source.has("configMapRef")) {
        manifests
            .named("ConfigMap", source.at("/configMapRef/name").asText())
            .path("data")
            .fieldNames()
            .forEachRemaining(set::add);
      }
      if (source.has("secretRef")) {
        manifests
            .named("Secret", source.at("/secretRef/name").asText())
            .path("data")
            .fieldNames()
            .forEachRemaining(set::add);
      }
    }
    manifests
        .all("Secret")
        .forEach(secret -> secret.path("data").fieldNames().forEachRemaining(set::add));

    assertThat(set).contains("WEBUI_SECRET_KEY", AppSettings.DRAIN_TIMEOUT);
    assertThat(unknown(set)).as("variables the gateway does not read").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void configMapsAndSecretsTheDeploymentNamesExist(String name) {
    Manifests manifests = overlay(name);
    JsonNode container = gatewayContainer(manifests.gateway());
    container
        .findValues("configMapRef")
        .forEach(ref -> manifests.named("ConfigMap", ref.path("name").asText()));
    container
        .findValues("secretKeyRef")
        .forEach(
            ref ->
                assertThat(
                        manifests
                            .named("Secret", ref.path("name").asText())
                            .path("data")
                            .has(ref.path("key").asText()))
                    .as("key " + ref.path("key").asText())
                    .isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void gracePeriodOutlastsPreStopAndTheDrain(String name) {
    Manifests manifests = overlay(name);
    JsonNode deployment = manifests.gateway();
    JsonNode container = gatewayContainer(deployment);

    Duration drain = Duration.ZERO;
    for (JsonNode ref : container.findValues("configMapRef")) {
      JsonNode value =
          manifests.named("ConfigMap", ref.path("name").asText()).at("/data/GATEWAY_DRAIN_TIMEOUT");
      if (!value.isMissingNode()) {
        drain = DurationConverter.parseDuration(value.asText());
      }
    }
    assertThat(drain).as("GATEWAY_DRAIN_TIMEOUT in the ConfigMap").isPositive();
    Duration preStop =
        Duration.ofSeconds(container.at("/lifecycle/preStop/sleep/seconds").asLong());
    Duration grace =
        Duration.ofSeconds(
            deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong());

    assertThat(container.at("/lifecycle/preStop").isObject()).as("preStop hook").isTrue();
    assertThat(grace).isGreaterThan(preStop.plus(drain));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void ingressRoutesOnlyTheSocketIoPrefixToTheService(String name) {
    Manifests manifests = overlay(name);
    JsonNode ingress = manifests.one("Ingress");
    List<JsonNode> paths = new ArrayList<>();
    ingress.at("/spec/rules").forEach(rule -> rule.at("/http/paths").forEach(paths::add));

    assertThat(paths).hasSize(1);
    JsonNode path = paths.get(0);
    assertThat(path.path("path").asText()).isEqualTo("/ws/");
    assertThat(path.path("pathType").asText()).isEqualTo("Prefix");
    assertThat(app.socketIoPath() + "/").startsWith(path.path("path").asText());
    JsonNode backend = path.at("/backend/service");
    JsonNode service = manifests.named("Service", backend.path("name").asText());
    JsonNode servicePort = servicePort(service, backend.path("port"));
    JsonNode container = gatewayContainer(manifests.gateway());
    assertThat(containerPort(container, servicePort.path("targetPort")))
        .isEqualTo(appPort(manifests, container));

    JsonNode annotations = ingress.at("/metadata/annotations");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt())
        .isGreaterThanOrEqualTo(3600);
    assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asInt())
        .isGreaterThanOrEqualTo(3600);
    assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-buffering").asText())
        .isEqualTo("off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void serviceBudgetAndMonitorSelectTheGatewayPods(String name) {
    Manifests manifests = overlay(name);
    JsonNode deployment = manifests.gateway();
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    JsonNode service = manifests.named("Service", "realtime-gateway");

    assertThat(selects(deployment.at("/spec/selector/matchLabels"), podLabels)).isTrue();
    assertThat(service.at("/spec/type").asText()).isEqualTo("ClusterIP");
    assertThat(selects(service.at("/spec/selector"), podLabels)).as("Service").isTrue();
    assertThat(manifests.all("Deployment"))
        .filteredOn(other -> other != deployment)
        .allSatisfy(
            other ->
                assertThat(
                        selects(
                            service.at("/spec/selector"),
                            other.at("/spec/template/metadata/labels")))
                    .as("Service selects " + other.at("/metadata/name").asText())
                    .isFalse());
    assertThat(
            selects(
                manifests.one("PodDisruptionBudget").at("/spec/selector/matchLabels"), podLabels))
        .as("PodDisruptionBudget")
        .isTrue();
    JsonNode constraints = deployment.at("/spec/template/spec/topologySpreadConstraints");
    assertThat(constraints).isNotEmpty();
    constraints.forEach(
        constraint ->
            assertThat(selects(constraint.at("/labelSelector/matchLabels"), podLabels))
                .as("topology spread")
                .isTrue());

    JsonNode monitor = manifests.one("ServiceMonitor");
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(selects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels")))
        .isTrue();
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertThat(endpoint.path("path").asText()).isEqualTo(METRICS_PATH);
    servicePort(service, endpoint.path("port"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void podRunsAsNonRootOnAReadOnlyFilesystemWithAWritableTmp(String name) {
    JsonNode pod = overlay(name).gateway().at("/spec/template/spec");
    JsonNode container = gatewayContainer(overlay(name).gateway());
    JsonNode security = container.path("securityContext");

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    String tmpVolume = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if ("/tmp".equals(mount.path("mountPath").asText())) {
        tmpVolume = mount.path("name").asText();
      }
    }
    assertThat(tmpVolume).as("/tmp mount").isNotNull();
    String volume = tmpVolume;
    assertThat(pod.path("volumes"))
        .anySatisfy(
            v -> {
              assertThat(v.path("name").asText()).isEqualTo(volume);
              assertThat(v.has("emptyDir")).isTrue();
            });
    assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
    assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void imageIsRealtimeGatewayWithTheTagTheOverlaySets(String name) {
    assertThat(gatewayContainer(overlay(name).gateway()).path("image").asText())
        .matches("([^:/]+(:\\d+)?/)*realtime-gateway:[A-Za-z0-9_][A-Za-z0-9_.-]*")
        .doesNotEndWith(":latest");
  }

  @Test
  void singleOverlayIsOneReplicaInMemory() {
    Manifests manifests = overlay("single");
    assertThat(manifests.gateway().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(settings(manifests)).doesNotContainKey("WEBSOCKET_MANAGER");
    assertThat(manifests.all("HorizontalPodAutoscaler")).isEmpty();
  }

  @Test
  void clusterOverlayIsThreeReplicasInRedisModeThatAdvertiseTheirPodIp() throws IOException {
    Manifests manifests = overlay("cluster");
    JsonNode deployment = manifests.gateway();
    Map<String, String> settings = settings(manifests);

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(settings).containsEntry("WEBSOCKET_MANAGER", "redis");
    JsonNode advertised = null;
    for (JsonNode env : gatewayContainer(deployment).path("env")) {
      if ("GATEWAY_CLUSTER_ADVERTISED_ADDRESS".equals(env.path("name").asText())) {
        advertised = env;
      }
    }
    assertThat(advertised).isNotNull();
    assertThat(advertised.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");

    // The try-out Redis is the one the URL names, on the port its Service serves.
    URI redis = URI.create(settings.get("WEBSOCKET_REDIS_URL"));
    JsonNode redisService = manifests.named("Service", redis.getHost());
    assertThat(redisService.findValues("port"))
        .extracting(JsonNode::asInt)
        .contains(redis.getPort());
    JsonNode redisDeployment = manifests.named("Deployment", "realtime-gateway-redis");
    assertThat(
            selects(
                redisService.at("/spec/selector"),
                redisDeployment.at("/spec/template/metadata/labels")))
        .isTrue();

    JsonNode hpa = manifests.one("HorizontalPodAutoscaler");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText())
        .isEqualTo(deployment.at("/metadata/name").asText());
    assertThat(hpa.at("/spec/minReplicas").asInt()).isBetween(2, 3);
    assertThat(hpa.at("/spec/maxReplicas").asInt())
        .isGreaterThan(hpa.at("/spec/minReplicas").asInt());
  }

  // --- Helm chart (no helm binary: values and Chart.yaml as YAML, templates as text) ---

  @Test
  void chartIsVersionedWithTheGateway() throws IOException {
    JsonNode chart = Manifests.YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>realtime-gateway</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);

    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("realtime-gateway");
    assertThat(version.find()).isTrue();
    assertThat(chart.path("appVersion").asText()).isEqualTo(version.group(1));
  }

  @Test
  void chartProbesUseTheAppsHealthPathsOnItsPort() throws IOException {
    String deployment = template("deployment.yaml");

    assertThat(deployment)
        .contains("containerPort: " + app.httpPort())
        .contains("path: " + LIVENESS_PATH)
        .contains("path: " + READINESS_PATH)
        .contains("- name: http\n              containerPort: " + app.httpPort());
    assertThat(count(deployment, "httpGet:")).isEqualTo(3);
    assertThat(count(deployment, "port: http")).isEqualTo(3);
    assertThat(count(deployment, "path: /q/health/")).isEqualTo(3);
    assertThat(template("servicemonitor.yaml")).contains("path: " + METRICS_PATH);
  }

  @Test
  void chartSetsOnlyEnvironmentVariablesTheAppReads() throws IOException {
    Set<String> set = new TreeSet<>();
    collect(TEMPLATE_ENV_NAME, template("deployment.yaml"), set);
    collect(TEMPLATE_DATA_KEY, template("configmap.yaml"), set);
    collect(TEMPLATE_DATA_KEY, template("secret.yaml"), set);
    values().path("config").fieldNames().forEachRemaining(set::add);

    assertThat(set)
        .contains(
            "WEBUI_SECRET_KEY",
            "WEBSOCKET_MANAGER",
            "WEBSOCKET_REDIS_URL",
            "WEBSOCKET_SENTINEL_HOSTS",
            "WEBSOCKET_SENTINEL_PORT",
            "WEBSOCKET_REDIS_CLUSTER",
            "GATEWAY_CLUSTER_ADVERTISED_ADDRESS",
            AppSettings.DRAIN_TIMEOUT);
    assertThat(unknown(set)).as("variables the gateway does not read").isEmpty();
  }

  @Test
  void chartTemplatesUseOnlyValuesThatExistAndEveryValueIsUsed() throws IOException {
    JsonNode values = values();
    Set<String> referenced = new TreeSet<>();
    for (Path file : templates()) {
      collect(VALUES_REFERENCE, Files.readString(file), referenced);
    }
    Set<String> defined = new TreeSet<>();
    leaves(values, "", defined);

    assertThat(referenced)
        .allSatisfy(
            reference ->
                assertThat(values.at(reference.replace('.', '/')).isMissingNode())
                    .as(".Values" + reference + " is in values.yaml")
                    .isFalse());
    assertThat(defined)
        .allSatisfy(
            key ->
                assertThat(referenced)
                    .as("values.yaml " + key + " is read by a template")
                    .anyMatch(reference -> (key + ".").startsWith(reference + ".")));
  }

  @Test
  void chartGracePeriodOutlastsPreStopAndTheDrain() throws IOException {
    JsonNode values = values();
    Duration drain = DurationConverter.parseDuration(values.path("drainTimeout").asText());
    Duration preStop = Duration.ofSeconds(values.path("preStopSleepSeconds").asLong());
    Duration grace = Duration.ofSeconds(values.path("terminationGracePeriodSeconds").asLong());

    assertThat(grace).isGreaterThan(preStop.plus(drain));
    assertThat(template("configmap.yaml"))
        .contains(AppSettings.DRAIN_TIMEOUT + ": {{ .Values.drainTimeout | quote }}");
    assertThat(template("deployment.yaml"))
        .contains("terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}")
        .contains("seconds: {{ .Values.preStopSleepSeconds }}");
  }

  @Test
  void chartIngressRoutesOnlyTheSocketIoPrefixToTheService() throws IOException {
    String ingress = template("ingress.yaml");
    Matcher paths = Pattern.compile("(?m)^\\s*-?\\s*path:\\s*(\\S+)\\s*$").matcher(ingress);
    List<String> routed = new ArrayList<>();
    while (paths.find()) {
      routed.add(paths.group(1));
    }

    assertThat(routed).containsExactly("/ws/");
    assertThat(app.socketIoPath() + "/").startsWith("/ws/");
    assertThat(ingress)
        .contains("pathType: Prefix")
        .contains(
            "name: {{ include \"realtime-gateway.fullname\" . }}\n                port:\n"
                + "                  name: http");
    assertThat(template("service.yaml")).contains("- name: http").contains("targetPort: http");
    JsonNode annotations = values().at("/ingress/annotations");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt())
        .isGreaterThanOrEqualTo(3600);
    assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-buffering").asText())
        .isEqualTo("off");
  }

  // --- helpers ---

  private Set<String> unknown(Set<String> variables) {
    Set<String> accepted = app.environmentVariables();
    Set<String> unknown = new TreeSet<>(variables);
    unknown.removeAll(accepted);
    return unknown;
  }

  /** The HTTP port the gateway listens on in this pod: PORT when the manifests set it. */
  private static int appPort(Manifests manifests, JsonNode container) {
    String variable = app.httpPortVariable();
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(variable)) {
        return env.path("value").asInt();
      }
    }
    String fromConfigMap = settings(manifests).get(variable);
    return fromConfigMap != null ? Integer.parseInt(fromConfigMap) : app.httpPort();
  }

  /** The settings of the gateway's ConfigMaps (envFrom), merged. */
  private static Map<String, String> settings(Manifests manifests) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (JsonNode ref : gatewayContainer(manifests.gateway()).findValues("configMapRef")) {
      manifests
          .named("ConfigMap", ref.path("name").asText())
          .path("data")
          .properties()
          .forEach(entry -> settings.put(entry.getKey(), entry.getValue().asText()));
    }
    return settings;
  }

  private static JsonNode port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (name.equals(port.path("name").asText())) {
        return port;
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  /** A container port given by name or number, as probes and Services give it. */
  private static int containerPort(JsonNode container, JsonNode nameOrNumber) {
    if (nameOrNumber.isInt()) {
      return nameOrNumber.asInt();
    }
    return port(container, nameOrNumber.asText()).path("containerPort").asInt();
  }

  /** A Service port given as Ingress gives it ({name} or {number}) or by its name alone. */
  private static JsonNode servicePort(JsonNode service, JsonNode reference) {
    String name = reference.isObject() ? reference.path("name").asText(null) : reference.asText();
    int number = reference.path("number").asInt(-1);
    for (JsonNode port : service.at("/spec/ports")) {
      if (port.path("name").asText().equals(name) || port.path("port").asInt() == number) {
        return port;
      }
    }
    throw new AssertionError("Service has no port " + reference);
  }

  private static JsonNode values() throws IOException {
    return Manifests.YAML.readTree(CHART.resolve("values.yaml").toFile());
  }

  private static String template(String name) throws IOException {
    return Files.readString(CHART.resolve("templates").resolve(name));
  }

  private static List<Path> templates() throws IOException {
    try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
      return files.sorted().toList();
    }
  }

  private static void collect(Pattern pattern, String text, Set<String> into) {
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      into.add(matcher.group(1));
    }
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  /** Dotted paths of the values' leaves; an empty map or list is a leaf too. */
  private static void leaves(JsonNode node, String path, Set<String> into) {
    if (node.isObject() && !node.isEmpty()) {
      node.properties()
          .forEach(field -> leaves(field.getValue(), path + "." + field.getKey(), into));
    } else {
      into.add(path);
    }
  }
}
