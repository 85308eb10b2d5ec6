package io.hivemind.server.transport;

import static io.hivemind.server.transport.PeerChannel.frame;
import static io.hivemind.server.transport.PeerChannel.framed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The opening end of a stream: one request out, exactly one outcome reported. */
class StreamClientHandlerTest {

  private static final String KEY = GossipKeyring.generateKey();
  private static final long STREAM_ID = 7;
  private static final byte[] HELLO = "hello".getBytes(UTF_8);
  private static final byte[] PONG = "pong".getBytes(UTF_8);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  private static final TransportConfig CONFIG =
      TransportConfig.of("127.0.0.1", 0)
          .withMaxFrameBytes(1024)
          .withTimeouts(Duration.ofSeconds(1), READ_TIMEOUT);

  private final TransportStats stats = new TransportStats();
  private final RecordingHandler handler = RecordingHandler.silent();

  private StreamClientHandler client(GossipKeyring keyring) {
    return new StreamClientHandler(STREAM_ID, HELLO, new Envelope(keyring, stats), handler, stats);
  }

  private PeerChannel open(GossipKeyring keyring) {
    return PeerChannel.stream(CONFIG, client(keyring));
  }

  @Test
  void connected_writesTheRequestAsOneFrame() {
    PeerChannel stream = open(null);

    assertThat(stream.written()).isEqualTo(framed(HELLO));
    assertThat(handler.responses).isEmpty();
    assertThat(handler.failures).isEmpty();
  }

  @Test
  void connected_withAKeyring_sealsTheRequestAsAStreamRequest() throws Exception {
    GossipKeyring keyring = GossipKeyring.of(KEY);
    byte[] written = open(keyring).written();

    byte[] sealed = new byte[written.length - StreamFraming.LENGTH_BYTES];
    System.arraycopy(written, StreamFraming.LENGTH_BYTES, sealed, 0, sealed.length);
    assertThat(keyring.open(FrameKind.STREAM_REQUEST, sealed)).isEqualTo(HELLO);
  }

  @Test
  void response_isReportedOnceAndTheStreamCloses() {
    PeerChannel stream = open(null);

    stream.writeInbound(frame(PONG));

    assertThat(handler.responses).containsOnlyKeys(STREAM_ID);
    assertThat(handler.responses.get(STREAM_ID)).isEqualTo(PONG);
    assertThat(stream.isOpen()).isFalse();
    assertThat(handler.failures).isEmpty(); // the close after a response is no failure
    assertThat(stats.streamFailures()).isZero();
  }

  @Test
  void response_sealed_isOpened() {
    GossipKeyring keyring = GossipKeyring.of(KEY);
    PeerChannel stream = open(keyring);

    stream.writeInbound(frame(keyring.seal(FrameKind.STREAM_RESPONSE, PONG)));

    assertThat(handler.responses.get(STREAM_ID)).isEqualTo(PONG);
  }

  @Test
  void response_sealedWithAnotherKey_failsAndCountsUnauthenticated() {
    PeerChannel stream = open(GossipKeyring.of(KEY));
    byte[] sealed =
        GossipKeyring.of(GossipKeyring.generateKey()).seal(FrameKind.STREAM_RESPONSE, PONG);

    stream.writeInbound(frame(sealed));

    assertThat(handler.responses).isEmpty();
    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
    assertThat(stats.streamFailures()).isEqualTo(1);
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void closedBeforeAResponse_failsOnce() {
    PeerChannel stream = open(null);

    stream.close();

    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.streamFailures()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void silentPeer_failsAfterTheReadTimeout() {
    PeerChannel stream = open(null);

    stream.advance(READ_TIMEOUT.minusMillis(1));
    assertThat(handler.failures).isEmpty();

    stream.advance(Duration.ofMillis(1));
    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void responseLength_overTheLimit_failsAndCountsOversized() {
    PeerChannel stream = open(null);

    stream.writeInbound(Unpooled.buffer().writeInt(CONFIG.maxFrameBytes() + 1));

    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void response_cutShort_failsOnceAndCountsMalformed() {
    PeerChannel stream = open(null);

    stream.writeInbound(Unpooled.buffer().writeInt(100).writeBytes(PONG));
    stream.close();

    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.streamFailures()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isEqualTo(1);
    stream.checkException();
  }

  @Test
  void connectionReset_failsOnce() {
    PeerChannel stream = open(null);

    stream.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.streamFailures()).isEqualTo(1);
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void fail_beforeConnecting_reportsOnceEvenIfTheChannelClosesLater() {
    StreamClientHandler client = client(null);

    client.fail("cannot connect", new IOException("Connection refused"));
    client.fail("again", null);

    assertThat(handler.failures).containsExactly(STREAM_ID);
    assertThat(stats.streamFailures()).isEqualTo(1);
  }
}
