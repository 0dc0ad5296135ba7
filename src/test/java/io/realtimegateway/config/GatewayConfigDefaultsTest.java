package io.realtimegateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Defaults the issues promise, read where they are declared, not from a running gateway. */
class GatewayConfigDefaultsTest {

  @Test
  void aReplyMayMakeTenRoundsOfToolCallsByDefault() throws Exception {
    WithDefault declared =
        GatewayConfig.Tools.class.getMethod("maxRounds").getAnnotation(WithDefault.class);
    assertThat(declared.value()).isEqualTo("10");
    // application.properties would override the declared default for every profile.
    assertThat(applicationProperties().stringPropertyNames())
        .noneMatch(name -> name.endsWith("gateway.tools.max-rounds"));
  }

  private static Properties applicationProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        GatewayConfigDefaultsTest.class.getResourceAsStream("/application.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return properties;
  }
}
