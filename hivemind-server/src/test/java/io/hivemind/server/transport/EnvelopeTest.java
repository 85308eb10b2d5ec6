package io.hivemind.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final String KEY = GossipKeyring.generateKey();
  private static final byte[] HELLO = "hello".getBytes(UTF_8);
  private static final Object FROM = "10.0.0.2:7946";

  private final TransportStats stats = new TransportStats();

  @Test
  void withoutKeyring_bytesPassThroughBothWays() {
    Envelope envelope = new Envelope(null, stats);

    assertThat(envelope.isEncrypted()).isFalse();
    assertThat(envelope.seal(FrameKind.PACKET, HELLO)).isSameAs(HELLO);
    assertThat(envelope.open(FrameKind.PACKET, HELLO, FROM)).isSameAs(HELLO);
  }

  @Test
  void withKeyring_sealThenOpen_roundTrips() {
    Envelope envelope = new Envelope(GossipKeyring.of(KEY), stats);

    byte[] sealed = envelope.seal(FrameKind.STREAM_REQUEST, HELLO);

    assertThat(sealed).hasSize(HELLO.length + GossipKeyring.OVERHEAD_BYTES);
    assertThat(envelope.open(FrameKind.STREAM_REQUEST, sealed, FROM)).isEqualTo(HELLO);
    assertThat(stats.droppedUnauthenticated()).isZero();
  }

  @Test
  void open_failingAuthentication_isNullAndCounted() {
    Envelope envelope = new Envelope(GossipKeyring.of(KEY), stats);
    byte[] packet = envelope.seal(FrameKind.PACKET, HELLO);

    assertThat(envelope.open(FrameKind.STREAM_REQUEST, packet, FROM)).isNull();
    assertThat(envelope.open(FrameKind.PACKET, HELLO, FROM)).isNull();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(2);
  }

  @Test
  void setKeyring_appliesToTheNextFrame_andNullTurnsEncryptionOff() {
    String newKey = GossipKeyring.generateKey();
    Envelope envelope = new Envelope(GossipKeyring.of(KEY), stats);

    envelope.setKeyring(GossipKeyring.of(newKey));
    byte[] sealed = envelope.seal(FrameKind.PACKET, HELLO);
    assertThat(new Envelope(GossipKeyring.of(newKey), stats).open(FrameKind.PACKET, sealed, FROM))
        .isEqualTo(HELLO);

    envelope.setKeyring(null);
    assertThat(envelope.isEncrypted()).isFalse();
    assertThat(envelope.seal(FrameKind.PACKET, HELLO)).isSameAs(HELLO);
  }
}
