package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fields found from the protobuf wire format alone, nested messages included. */
class ProtobufFieldsTest {

  @Test
  void of_varintAndNestedMessage_findsEveryFieldWithItsValue() {
    // field 1 = varint 150; field 2 = a message holding field 1 = varint 1 (protobuf's own
    // example).
    byte[] bytes = {0x08, (byte) 0x96, 0x01, 0x12, 0x02, 0x08, 0x01};

    List<ProtobufFields.Field> fields = ProtobufFields.of(bytes);

    assertThat(fields)
        .containsExactly(
            new ProtobufFields.Field(0, 1, 3, 3, false),
            new ProtobufFields.Field(5, 6, 7, 7, false),
            new ProtobufFields.Field(3, 4, 5, 7, true));
    assertThat(ProtobufFields.varint(bytes, 1, bytes.length)).isEqualTo(150);
  }

  @Test
  void of_notProtobuf_findsNothing() {
    assertThat(ProtobufFields.of(new byte[] {(byte) 0xFF, (byte) 0xFF})).isEmpty();
  }

  @Test
  void encodeVarint_negative_isTenBytesAsProtobufWritesIt() {
    assertThat(ProtobufFields.encodeVarint(-1)).hasSize(10);
    assertThat(ProtobufFields.encodeVarint(300)).containsExactly(0xAC, 0x02);
  }
}
