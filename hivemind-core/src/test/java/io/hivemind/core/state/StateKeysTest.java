package io.hivemind.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.StateKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key-to-partition hash the agents and the client share (hivemind-api has no tests). */
class StateKeysTest {

  @Test
  void murmur3MatchesTheReferenceVectors() {
    // Vectors of the reference implementation (SMHasher's MurmurHash3_x86_32, seed 0).
    assertThat(StateKeys.murmur3(new byte[0])).isZero();
    assertThat(StateKeys.murmur3(utf8("hello"))).isEqualTo(0x248bfa47);
    assertThat(StateKeys.murmur3(utf8("Hello, world!"))).isEqualTo(0xc0363e43);
    assertThat(StateKeys.murmur3(utf8("The quick brown fox jumps over the lazy dog")))
        .isEqualTo(0x2e4ff723);
  }

  @Test
  void partitionsAreInRangeAndSpreadEvenly() {
    int partitions = 271;
    int[] counts = new int[partitions];
    for (int i = 0; i < 271_000; i++) {
      int p = StateKeys.partition("sessions", "key-" + i, partitions);
      assertThat(p).isBetween(0, partitions - 1);
      counts[p]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(850, 1150);
    }
  }

  @Test
  void theMapIsPartOfTheKey() {
    int differing = 0;
    for (int i = 0; i < 100; i++) {
      if (StateKeys.partition("m1", "k" + i, 16384) != StateKeys.partition("m2", "k" + i, 16384)) {
        differing++;
      }
    }
    assertThat(differing).isGreaterThan(95);
  }

  @Test
  void refusesANonPositiveCount() {
    assertThatThrownBy(() -> StateKeys.partition("m", "k", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
