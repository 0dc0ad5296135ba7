package io.realtimegateway.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressesTest {

  @Test
  void hostAndPortAreParsed() {
    SocketAddress v4 = PeerAddresses.parse("10.1.2.3:8080").orElseThrow();
    assertThat(v4.host()).isEqualTo("10.1.2.3");
    assertThat(v4.port()).isEqualTo(8080);
    SocketAddress v6 = PeerAddresses.parse("[fd00::1]:9000").orElseThrow();
    assertThat(v6.host()).isEqualTo("fd00::1");
    assertThat(v6.port()).isEqualTo(9000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "host", "host:", ":80", "host:0", "host:70000", "host:x", "fd00::1:80"})
  void anythingElseIsNoAddress(String text) {
    assertThat(PeerAddresses.parse(text)).isEmpty();
  }

  @Test
  void aReplicasTagIsTheFirst24BitsOfItsNodeId() {
    assertThat(PeerAddresses.tagOf("abcdef0123456789abcdef0123456789")).isEqualTo(0xabcdef);
  }
}
