package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressesTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, true",
    "127.3.4.5, true",
    "::1, true",
    "0:0:0:0:0:0:0:1, true",
    "10.0.0.7, false",
    "192.168.1.2, false",
    "fe80::1, false",
    "localhost, false",
    "'', false"
  })
  void recognisesLoopbackLiteralsOnly(String address, boolean loopback) {
    assertThat(ClientAddresses.isLoopback(address)).isEqualTo(loopback);
  }
}
