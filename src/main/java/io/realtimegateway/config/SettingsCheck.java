package io.realtimegateway.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks each gateway setting as it is read, so that a wrong value stops start-up with a message
 * that names what the operator set (the environment variable, Open WebUI's name where
 * application.properties maps one) and what it accepts. SmallRye's own conversion error names only
 * the internal key, and lets through values that convert but make no sense (a ping interval of 0).
 *
 * <p>Runs outside SmallRye's expression interceptor (higher priority), so it sees the expanded
 * value and, in the raw value, which variable the expression read.
 */
@Priority(Priorities.APPLICATION)
public class SettingsCheck implements ConfigSourceInterceptor {

  private static final Pattern EXPRESSION_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)");
  private static final String ENVIRONMENT_SOURCE = "EnvConfigSource";

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      return value;
    }
    if (value.getValue().contains("${")) {
      // The build reads runtime keys without expanding them; the runtime check sees the value.
      return value;
    }
    Optional<Setting> setting = Setting.of(name);
    if (setting.isPresent()) {
      Optional<String> problem = setting.get().problem(value.getValue());
      if (problem.isPresent()) {
        throw new IllegalArgumentException(
            "invalid setting "
                + setBy(setting.get(), value)
                + "=\""
                + value.getValue()
                + "\": "
                + problem.get());
      }
    }
    return value;
  }

  /** What the operator wrote the value into: a variable, or the key in a named source. */
  static String setBy(Setting setting, ConfigValue value) {
    String raw = value.getRawValue();
    if (raw != null) {
      Matcher variable = EXPRESSION_VARIABLE.matcher(raw);
      if (variable.find()) {
        return variable.group(1);
      }
    }
    String source = value.getSourceName();
    if (OpenWebUiRedisConfigSource.NAME.equals(source)) {
      return "WEBSOCKET_REDIS_URL (or REDIS_URL)";
    }
    if (source != null && source.startsWith(ENVIRONMENT_SOURCE)) {
      return setting.environmentName();
    }
    return setting.property() + (source == null ? "" : " (" + source + ")");
  }
}
