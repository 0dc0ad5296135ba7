package io.realtimegateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdsTest {

  @Test
  void anEngineSidCarriesItsReplicaTag() {
    for (int tag : new int[] {0, 1, 0xabcdef, 0xffffff}) {
      String sid = SessionIds.withTag(tag);
      assertThat(sid).hasSize(20).matches("[A-Za-z0-9_-]{20}");
      assertThat(SessionIds.tagOf(sid)).hasValue(tag);
    }
  }

  @Test
  void sidsOfOneTagDifferInTheirRandomPart() {
    Set<String> sids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      sids.add(SessionIds.withTag(7));
    }
    assertThat(sids).hasSize(10_000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "nope",
        "AAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAA+/"
      })
  void textThatIsNotAGatewaySidHasNoTag(String text) {
    assertThat(SessionIds.tagOf(text)).isEmpty();
  }
}
