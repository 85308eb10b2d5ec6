package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The state transport's hello: golden bytes, round trips, malformed input and a fuzz loop. */
class StateHelloTest {

  @Test
  void encode_isVersionThenLengthPrefixedFields() {
    byte[] bytes = new StateHello("c", "dev", "id1").encode();

    assertThat(bytes).containsExactly(1, 0, 1, 'c', 0, 3, 'd', 'e', 'v', 0, 3, 'i', 'd', '1');
  }

  @Test
  void decode_ofEncode_isTheSameHello() throws Exception {
    StateHello hello = new StateHello("hivemind", "production", "node-ü-7");

    assertThat(StateHello.decode(hello.encode())).isEqualTo(hello);
  }

  @Test
  void decode_unknownVersion_isRefused() {
    byte[] bytes = new StateHello("c", "e", "m").encode();
    bytes[0] = 2;

    assertThatThrownBy(() -> StateHello.decode(bytes))
        .isInstanceOf(StateFrameException.class)
        .hasMessageContaining("unknown version 2");
  }

  @Test
  void decode_truncatedOrTrailingBytes_isRefused() {
    byte[] bytes = new StateHello("c", "e", "m").encode();

    assertThatThrownBy(() -> StateHello.decode(Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(StateFrameException.class);
    assertThatThrownBy(() -> StateHello.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(StateFrameException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void decode_emptyMemberId_isRefused() {
    byte[] bytes = new StateHello("c", "e", "").encode();

    assertThatThrownBy(() -> StateHello.decode(bytes)).hasMessageContaining("member id");
  }

  @Test
  void encode_fieldOverTheLimit_isRefused() {
    String longId = "x".repeat(StateHello.MAX_FIELD_BYTES + 1);

    assertThatThrownBy(() -> new StateHello("c", "e", longId).encode())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_randomBytes_neverThrowsAnythingButItsOwnException() {
    Random random = new Random(13);
    byte[] valid = new StateHello("cluster", "testing", "member").encode();
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes =
          random.nextBoolean() ? mutate(valid, random) : randomBytes(random.nextInt(64), random);
      try {
        StateHello.decode(bytes);
      } catch (StateFrameException expected) {
        // refused with a sentence: what a peer's garbage must get
      }
    }
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] copy = valid.clone();
    copy[random.nextInt(copy.length)] = (byte) random.nextInt();
    return copy;
  }

  private static byte[] randomBytes(int length, Random random) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
