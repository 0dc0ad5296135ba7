package io.realtimegateway.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One key of {@link GatewayConfig}, with what it accepts. Read from the mapping itself, so a new
 * key is checked and must be documented (ConfigurationDocsTest) without a second list to keep.
 *
 * @param property the key, e.g. {@code gateway.engine.ping-interval}
 * @param kind what sort of value it takes
 * @param zeroAllowed whether 0 is a meaningful value ({@link ZeroAllowed})
 * @param choices the accepted words of a {@link Kind#CHOICE} or {@link Kind#CHOICE_LIST}, lower
 *     case
 * @param defaultValue the {@code @WithDefault}, if any
 */
@RegisterForReflection(
    targets = {
      GatewayConfig.class,
      GatewayConfig.Engine.class,
      GatewayConfig.Auth.class,
      GatewayConfig.Caller.class,
      GatewayConfig.Jobs.class,
      GatewayConfig.Api.class,
      GatewayConfig.Cluster.class,
      GatewayConfig.Limits.class,
      GatewayConfig.Tasks.class,
      GatewayConfig.Completion.class,
      GatewayConfig.Tools.class,
      GatewayConfig.Conformance.class,
      GatewayConfig.Drain.class,
      GatewayConfig.Demo.class
    })
public record Setting(
    String property,
    Kind kind,
    boolean zeroAllowed,
    List<String> choices,
    Optional<String> defaultValue) {

  private static final String PREFIX = "gateway";

  /** Every key of the mapping, in property order. Built once; the mapping does not change. */
  private static final Map<String, Setting> ALL = read();

  /** What sort of value a key takes, and how an operator is told. */
  public enum Kind {
    DURATION("a duration: seconds (25) or a number with a unit (500ms, 25s, 2m, 1h)"),
    WHOLE_NUMBER("a whole number"),
    SIZE("a size: bytes (1048576) or a number with a unit (64K, 10M, 1G)"),
    BOOLEAN("true or false"),
    URL("an http:// or https:// URL"),
    REDIS_URLS("redis://[user:password@]host[:port][/db] or rediss://..., comma-separated"),
    CHOICE("one of"),
    CHOICE_LIST("a comma-separated list of"),
    TEXT("text"),
    TEXT_LIST("a comma-separated list");

    private final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  public Setting {
    choices = List.copyOf(choices);
  }

  /** The setting of a key, if the key is one of the gateway's. */
  public static Optional<Setting> of(String property) {
    return Optional.ofNullable(ALL.get(property));
  }

  /** Every setting, sorted by key. */
  public static List<Setting> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * The environment variable that sets this key when application.properties does not map an Open
   * WebUI variable onto it: {@code gateway.engine.max-payload} → {@code
   * GATEWAY_ENGINE_MAX_PAYLOAD}.
   */
  public String environmentName() {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** What the key accepts, in words an operator can act on. */
  public String accepts() {
    String what =
        switch (kind) {
          case CHOICE, CHOICE_LIST -> kind.description + " " + String.join(", ", choices);
          default -> kind.description;
        };
    if (kind == Kind.DURATION || kind == Kind.WHOLE_NUMBER || kind == Kind.SIZE) {
      what += zeroAllowed ? ", 0 or more" : ", above 0";
    }
    return what;
  }

  /** Empty when the value is one this key accepts; otherwise why not, for the start-up error. */
  public Optional<String> problem(String value) {
    String text = value.trim();
    try {
      boolean ok =
          switch (kind) {
            case DURATION -> inRange(DurationConverter.parseDuration(text).toNanos());
            case WHOLE_NUMBER -> inRange(Long.parseLong(text));
            case SIZE -> inRange(new MemorySizeConverter().convert(text).asLongValue());
            case BOOLEAN -> text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
            case URL -> isHttpUrl(text);
            case REDIS_URLS ->
                Arrays.stream(text.split(","))
                    .allMatch(url -> url.trim().matches("(?i)rediss?://.+"));
            case CHOICE -> choices.contains(normalised(text));
            case CHOICE_LIST ->
                !text.isEmpty()
                    && Arrays.stream(text.split(","))
                        .map(Setting::normalised)
                        .allMatch(choices::contains);
            case TEXT, TEXT_LIST -> true;
          };
      return ok ? Optional.empty() : Optional.of("expected " + accepts());
    } catch (IllegalArgumentException | ArithmeticException notParsed) {
      return Optional.of("expected " + accepts());
    }
  }

  private boolean inRange(long number) {
    return zeroAllowed ? number >= 0 : number > 0;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException notAUri) {
      return false;
    }
  }

  private static String normalised(String word) {
    return word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Map<String, Setting> read() {
    List<Setting> settings = new ArrayList<>();
    collect(GatewayConfig.class, PREFIX, settings);
    // Quarkus' own keys that application.properties or OpenWebUiRedisConfigSource fill from a
    // variable the README lists (PORT, GATEWAY_LOG_LEVEL, REDIS_URL,
    // UVICORN_WS_PER_MESSAGE_DEFLATE): checked the same way.
    settings.add(
        new Setting("quarkus.http.port", Kind.WHOLE_NUMBER, true, List.of(), Optional.of("8080")));
    settings.add(
        new Setting(
            "quarkus.log.category.\"io.realtimegateway\".level",
            Kind.CHOICE,
            false,
            List.of("off", "fatal", "error", "warn", "info", "debug", "trace", "all"),
            Optional.of("INFO")));
    settings.add(
        new Setting("quarkus.redis.hosts", Kind.REDIS_URLS, false, List.of(), Optional.empty()));
    settings.add(
        new Setting(
            "quarkus.websockets-next.server.per-message-compression-supported",
            Kind.BOOLEAN,
            false,
            List.of(),
            Optional.of("true")));
    return settings.stream()
        .sorted(Comparator.comparing(Setting::property))
        .collect(
            Collectors.toMap(
                Setting::property,
                Function.identity(),
                (first, second) -> first,
                LinkedHashMap::new));
  }

  private static void collect(Class<?> group, String prefix, List<Setting> into) {
    for (Method method : group.getDeclaredMethods()) {
      if (method.isDefault()
          || Modifier.isStatic(method.getModifiers())
          || method.getParameterCount() > 0) {
        continue;
      }
      String property = prefix + "." + kebab(method.getName());
      Class<?> type = method.getReturnType();
      if (type.isInterface() && type.getEnclosingClass() == GatewayConfig.class) {
        collect(type, property, into);
        continue;
      }
      Type valueType = method.getGenericReturnType();
      if (type == Optional.class) {
        valueType = ((ParameterizedType) valueType).getActualTypeArguments()[0];
      }
      OneOf oneOf = method.getAnnotation(OneOf.class);
      WithDefault withDefault = method.getAnnotation(WithDefault.class);
      into.add(
          new Setting(
              property,
              kindOf(valueType, oneOf),
              method.isAnnotationPresent(ZeroAllowed.class),
              choicesOf(valueType, oneOf),
              Optional.ofNullable(withDefault).map(WithDefault::value)));
    }
  }

  private static Kind kindOf(Type type, OneOf oneOf) {
    if (type instanceof ParameterizedType list) {
      return oneOf == null ? Kind.TEXT_LIST : Kind.CHOICE_LIST;
    }
    Class<?> raw = (Class<?>) type;
    if (raw == Duration.class) {
      return Kind.DURATION;
    }
    if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
      return Kind.WHOLE_NUMBER;
    }
    if (raw == MemorySize.class) {
      return Kind.SIZE;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return Kind.BOOLEAN;
    }
    if (raw == URI.class) {
      return Kind.URL;
    }
    if (raw.isEnum() || oneOf != null) {
      return Kind.CHOICE;
    }
    return Kind.TEXT;
  }

  private static List<String> choicesOf(Type type, OneOf oneOf) {
    if (oneOf != null) {
      return Arrays.stream(oneOf.value()).map(Setting::normalised).toList();
    }
    if (type instanceof Class<?> raw && raw.isEnum()) {
      return Arrays.stream(raw.getEnumConstants())
          .map(constant -> normalised(((Enum<?>) constant).name()))
          .toList();
    }
    return List.of();
  }

  /** SmallRye's naming: {@code openWebuiBaseUrl} → {@code open-webui-base-url}. */
  private static String kebab(String methodName) {
    StringBuilder name = new StringBuilder();
    for (char c : methodName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        name.append('-').append(Character.toLowerCase(c));
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }
}
