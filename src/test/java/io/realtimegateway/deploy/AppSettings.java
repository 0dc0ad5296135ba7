package io.realtimegateway.deploy;

import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.config.OpenWebUiRedisConfigSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway itself says about its settings, read from its code and application.properties
 * rather than kept by hand: the environment variables it reads, its HTTP port, its Socket.IO path.
 */
final class AppSettings {

  /** The drain time ({@code gateway.drain.timeout}), which the grace period must exceed. */
  static final String DRAIN_TIMEOUT = "GATEWAY_DRAIN_TIMEOUT";

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
  private static final Pattern PORT_DEFAULT =
      Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}|(\\d+)");

  private final Properties properties;

  private AppSettings(Properties properties) {
    this.properties = properties;
  }

  static AppSettings load() {
    Properties properties = new Properties();
    try (InputStream in = AppSettings.class.getResourceAsStream("/application.properties")) {
      if (in == null) {
        throw new IllegalStateException("application.properties is not on the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AppSettings(properties);
  }

  /** A property of the default profile, as application.properties writes it. */
  String property(String key) {
    return properties.getProperty(key);
  }

  /** The port the gateway listens on when {@code PORT} is not set: quarkus.http.port's default. */
  int httpPort() {
    Matcher matcher = PORT_DEFAULT.matcher(property("quarkus.http.port"));
    if (!matcher.matches()) {
      throw new IllegalStateException("quarkus.http.port is neither a number nor ${NAME:number}");
    }
    return Integer.parseInt(matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
  }

  /** The variable that overrides the HTTP port ({@code PORT}), or null. */
  String httpPortVariable() {
    Matcher matcher = PORT_DEFAULT.matcher(property("quarkus.http.port"));
    return matcher.matches() ? matcher.group(1) : null;
  }

  /** The Socket.IO path when {@code GATEWAY_ENGINE_PATH} is not set (/ws/socket.io). */
  String socketIoPath() {
    String configured = property("gateway.engine.path");
    if (configured != null) {
      return configured;
    }
    try {
      return GatewayConfig.Engine.class.getMethod("path").getAnnotation(WithDefault.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every environment variable the gateway reads: the {@code ${NAME:...}} references and the keys
   * of application.properties, the names of {@link GatewayConfig} and of Quarkus' HTTP settings
   * (Quarkus maps {@code gateway.x.y-z} to {@code GATEWAY_X_Y_Z}), and Open WebUI's Redis names
   * that {@link OpenWebUiRedisConfigSource} asks for.
   */
  Set<String> environmentVariables() {
    Set<String> names = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      Matcher reference = ENV_REFERENCE.matcher(properties.getProperty(key));
      while (reference.find()) {
        names.add(reference.group(1));
      }
      if (!key.startsWith("%")) {
        names.add(environmentName(key));
      }
    }
    names.addAll(mappingVariables(GatewayConfig.class));
    names.addAll(mappingVariables(VertxHttpConfig.class));
    names.addAll(redisVariables());
    return names;
  }

  /** Quarkus' rule: every character other than a letter or a digit becomes _, upper case. */
  static String environmentName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** The variables of a {@code @ConfigMapping} root, walking its groups by reflection. */
  static Set<String> mappingVariables(Class<?> root) {
    Set<String> names = new TreeSet<>();
    walk(root, root.getAnnotation(ConfigMapping.class).prefix(), names, new ArrayDeque<>());
    return names;
  }

  private static void walk(Class<?> group, String prefix, Set<String> names, Deque<Class<?>> path) {
    if (path.contains(group)) {
      return;
    }
    path.push(group);
    for (Method method : group.getMethods()) {
      if (method.isDefault()
          || Modifier.isStatic(method.getModifiers())
          || method.getParameterCount() > 0
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      String property = prefix;
      if (!method.isAnnotationPresent(WithParentName.class)) {
        WithName withName = method.getAnnotation(WithName.class);
        property += "." + (withName != null ? withName.value() : kebab(method.getName()));
      }
      Class<?> type = unwrapOptional(method);
      if (Map.class.isAssignableFrom(type)) {
        continue; // keyed by the user (e.g. quarkus.http.header."X"): no fixed variable name
      }
      if (isGroup(type)) {
        walk(type, property, names, path);
      } else {
        names.add(environmentName(property));
      }
    }
    path.pop();
  }

  private static Class<?> unwrapOptional(Method method) {
    Class<?> type = method.getReturnType();
    Type generic = method.getGenericReturnType();
    if (type == java.util.Optional.class && generic instanceof ParameterizedType parameterized) {
      Type argument = parameterized.getActualTypeArguments()[0];
      if (argument instanceof Class<?> element) {
        return element;
      }
      if (argument instanceof ParameterizedType nested) {
        return (Class<?>) nested.getRawType();
      }
    }
    return type;
  }

  private static boolean isGroup(Class<?> type) {
    return type.isInterface() && !type.getName().startsWith("java.");
  }

  /** SmallRye's kebab-case: {@code maxQueuedBytes} → {@code max-queued-bytes}. */
  private static String kebab(String name) {
    return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }

  /**
   * The names {@link OpenWebUiRedisConfigSource} reads, by asking it: every name it asks for is
   * recorded, then each one is set in turn to reach the names it asks for only then (the Sentinel
   * port once Sentinel hosts are set), until no new name turns up.
   */
  static Set<String> redisVariables() {
    Set<String> asked = new TreeSet<>();
    Set<String> tried = new HashSet<>();
    Deque<String> toSet = new ArrayDeque<>();
    toSet.add("");
    while (!toSet.isEmpty()) {
      String set = toSet.pop();
      Function<String, String> environment =
          name -> {
            asked.add(name);
            return name.equals(set) ? "redis://redis-host:6379" : null;
          };
      redisConfigSource(environment);
      for (String name : asked) {
        if (tried.add(name)) {
          toSet.add(name);
        }
      }
    }
    return asked;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> redisConfigSource(Function<String, String> environment) {
    try {
      // Package-private: the config source is read here as the gateway reads it, not re-stated.
      Method map = OpenWebUiRedisConfigSource.class.getDeclaredMethod("map", Function.class);
      map.setAccessible(true);
      return (Map<String, String>) map.invoke(null, environment);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("OpenWebUiRedisConfigSource.map(Function) changed", e);
    }
  }
}
