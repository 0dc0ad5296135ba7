package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README lists every setting (issue 12: "the README lists them all with defaults"), under the
 * variable an operator sets, with the default the gateway really uses.
 */
class ConfigurationDocsTest {

  private static final Pattern EXPRESSION = Pattern.compile("^\\$\\{([A-Z0-9_]+):(.*)}$");
  private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([A-Z0-9_]+)`[^|]*\\|([^|]*)\\|");
  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

  /** Keys that are not for operators: the test-suite profile sets them. */
  private static final List<String> NOT_DOCUMENTED = List.of("gateway.conformance.enabled");

  /** Variables the README names that application.properties does not map (read elsewhere). */
  private static final Map<String, String> MAPPED_ELSEWHERE =
      Map.of("quarkus.redis.hosts", "WEBSOCKET_REDIS_URL");

  private static Map<String, String> documentedDefaults;
  private static Properties applicationProperties;

  @BeforeAll
  static void read() throws IOException {
    documentedDefaults = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.find()) {
        documentedDefaults.putIfAbsent(row.group(1), row.group(2).trim());
      }
    }
    applicationProperties = new Properties();
    try (Reader reader =
        Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
      applicationProperties.load(reader);
    }
  }

  /** The variable an operator sets for a key, and the default the gateway uses without it. */
  private record Documented(String variable, Optional<String> defaultValue) {}

  private static Documented documented(Setting setting) {
    if (MAPPED_ELSEWHERE.containsKey(setting.property())) {
      return new Documented(MAPPED_ELSEWHERE.get(setting.property()), Optional.empty());
    }
    String mapped = applicationProperties.getProperty(setting.property());
    if (mapped != null) {
      Matcher expression = EXPRESSION.matcher(mapped.trim());
      if (expression.matches()) {
        String fallback = expression.group(2);
        return new Documented(
            expression.group(1),
            fallback.isEmpty() || fallback.startsWith("${")
                ? Optional.empty()
                : Optional.of(fallback));
      }
    }
    return new Documented(setting.environmentName(), setting.defaultValue());
  }

  @Test
  void everySettingHasARowUnderTheVariableAnOperatorSets() {
    List<String> missing = new ArrayList<>();
    for (Setting setting : Setting.all()) {
      if (NOT_DOCUMENTED.contains(setting.property())) {
        continue;
      }
      String variable = documented(setting).variable();
      if (!documentedDefaults.containsKey(variable)) {
        missing.add(variable + " (" + setting.property() + ")");
      }
    }
    assertThat(missing).as("settings without a README row").isEmpty();
  }

  @Test
  void everyDocumentedDefaultIsTheOneTheGatewayUses() {
    List<String> wrong = new ArrayList<>();
    for (Setting setting : Setting.all()) {
      Documented documented = documented(setting);
      String cell = documentedDefaults.get(documented.variable());
      if (cell == null || documented.defaultValue().isEmpty()) {
        continue;
      }
      Matcher code = FIRST_CODE.matcher(cell);
      String written = code.find() ? code.group(1) : cell;
      if (!sameValue(setting, written, documented.defaultValue().get())) {
        wrong.add(
            documented.variable()
                + ": README says "
                + cell
                + ", the gateway uses "
                + documented.defaultValue().get());
      }
    }
    assertThat(wrong).as("defaults the README gets wrong").isEmpty();
  }

  private static boolean sameValue(Setting setting, String written, String actual) {
    return switch (setting.kind()) {
      case DURATION ->
          setting.problem(written).isEmpty()
              && DurationConverter.parseDuration(written)
                  .equals(DurationConverter.parseDuration(actual));
      case SIZE ->
          setting.problem(written).isEmpty()
              && new MemorySizeConverter().convert(written).asLongValue()
                  == new MemorySizeConverter().convert(actual).asLongValue();
      case CHOICE, BOOLEAN ->
          written.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
      default -> written.equals(actual);
    };
  }
}
