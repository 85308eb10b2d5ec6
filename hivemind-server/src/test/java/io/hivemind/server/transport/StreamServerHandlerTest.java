package io.hivemind.server.transport;

import static io.hivemind.server.transport.PeerChannel.frame;
import static io.hivemind.server.transport.PeerChannel.framed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The answering end of a stream, framing and read timeout included, on an embedded channel. */
class StreamServerHandlerTest {

  private static final String KEY = GossipKeyring.generateKey();
  private static final byte[] HELLO = "hello".getBytes(UTF_8);
  private static final byte[] PONG = "pong".getBytes(UTF_8);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  private static final TransportConfig CONFIG =
      TransportConfig.of("127.0.0.1", 0)
          .withMaxFrameBytes(1024)
          .withTimeouts(Duration.ofSeconds(1), READ_TIMEOUT);

  private final TransportStats stats = new TransportStats();
  private final RecordingHandler handler = new RecordingHandler(request -> PONG);
  private InboundLimit limit = new InboundLimit(8);

  private PeerChannel accept(GossipKeyring keyring) {
    return accept(keyring, handler);
  }

  private PeerChannel accept(GossipKeyring keyring, RecordingHandler answering) {
    Envelope envelope = new Envelope(keyring, stats);
    return PeerChannel.stream(
        CONFIG,
        new StreamServerHandler(envelope, answering, stats, limit, CONFIG.requestDeadline()));
  }

  @Test
  void request_isAnsweredWithOneFrameThenTheStreamCloses() {
    PeerChannel stream = accept(null);

    stream.writeInbound(frame(HELLO));

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(handler.streamRequests.get(0).bytes()).isEqualTo(HELLO);
    assertThat(handler.streamRequests.get(0).from()).isEqualTo(PeerChannel.PEER_ADDRESS);
    assertThat(stream.written()).isEqualTo(framed(PONG));
    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.streamsAccepted()).isEqualTo(1);
  }

  @Test
  void request_inPieces_isReassembledFromTheLengthPrefix() {
    PeerChannel stream = accept(null);
    byte[] whole = framed(HELLO);

    for (byte b : whole) {
      stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(handler.streamRequests.get(0).bytes()).isEqualTo(HELLO);
  }

  @Test
  void request_sealed_isOpenedAndTheResponseSealed() throws Exception {
    GossipKeyring keyring = GossipKeyring.of(KEY);
    PeerChannel stream = accept(keyring);

    stream.writeInbound(frame(keyring.seal(FrameKind.STREAM_REQUEST, HELLO)));

    assertThat(handler.streamRequests.get(0).bytes()).isEqualTo(HELLO);
    byte[] written = stream.written();
    byte[] sealed = new byte[written.length - StreamFraming.LENGTH_BYTES];
    System.arraycopy(written, StreamFraming.LENGTH_BYTES, sealed, 0, sealed.length);
    assertThat(keyring.open(FrameKind.STREAM_RESPONSE, sealed)).isEqualTo(PONG);
  }

  @Test
  void request_answeredWithNull_closesWithoutAResponse() {
    PeerChannel stream = accept(null, RecordingHandler.silent());

    stream.writeInbound(frame(HELLO));

    assertThat(stream.written()).isEmpty();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void request_sealedWithAnotherKey_isDroppedAsUnauthenticatedAndClosed() {
    byte[] sealed =
        GossipKeyring.of(GossipKeyring.generateKey()).seal(FrameKind.STREAM_REQUEST, HELLO);
    PeerChannel stream = accept(GossipKeyring.of(KEY));

    stream.writeInbound(frame(sealed));

    assertThat(handler.streamRequests).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
    assertThat(stream.written()).isEmpty();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void request_plaintextToAnEncryptedNode_isDroppedAsUnauthenticated() {
    PeerChannel stream = accept(GossipKeyring.of(KEY));

    stream.writeInbound(frame(HELLO));

    assertThat(handler.streamRequests).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
  }

  @Test
  void request_replayedStreamResponse_isDroppedAsUnauthenticated() {
    GossipKeyring keyring = GossipKeyring.of(KEY);
    PeerChannel stream = accept(keyring);

    stream.writeInbound(frame(keyring.seal(FrameKind.STREAM_RESPONSE, HELLO)));

    assertThat(handler.streamRequests).isEmpty();
    assertThat(stats.droppedUnauthenticated()).isEqualTo(1);
  }

  @Test
  void secondFrame_onTheSameStream_isIgnored() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.wrappedBuffer(frame(HELLO), frame(HELLO)));

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(stream.written()).isEqualTo(framed(PONG));
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void length_overTheLimit_isRejectedBeforeTheFrameArrives() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.buffer().writeInt(CONFIG.maxFrameBytes() + 1));

    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
    assertThat(handler.streamRequests).isEmpty();
  }

  @Test
  void length_atTheLimit_isAccepted() {
    PeerChannel stream = accept(null);

    stream.writeInbound(frame(new byte[CONFIG.maxFrameBytes()]));

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(stats.droppedOversized()).isZero();
  }

  @Test
  void length_negativeAsSigned_isReadUnsignedAndRejectedAsOversized() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.buffer().writeInt(-5));

    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.droppedOversized()).isEqualTo(1);
  }

  @Test
  void stream_endingPartWayThroughAFrame_isDroppedAsMalformed() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.buffer().writeInt(100).writeBytes(HELLO));
    stream.close();

    assertThat(stats.droppedMalformed()).isEqualTo(1);
    assertThat(handler.streamRequests).isEmpty();
    stream.checkException();
  }

  @Test
  void stream_endingInsideTheLengthPrefix_isDroppedAsMalformed() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}));
    stream.close();

    assertThat(stats.droppedMalformed()).isEqualTo(1);
  }

  @Test
  void stream_closedBeforeAnyByte_isNoDrop() {
    PeerChannel stream = accept(null);

    stream.close();

    assertThat(stats.droppedMalformed()).isZero();
    assertThat(stats.droppedOversized()).isZero();
  }

  @Test
  void stream_oversizedThenClosed_countsOneDropOnly() {
    PeerChannel stream = accept(null);

    stream.writeInbound(
        Unpooled.buffer().writeInt(CONFIG.maxFrameBytes() + 1).writeBytes(new byte[64]));
    stream.close();

    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void stream_silentPeer_isClosedAfterTheReadTimeout() {
    PeerChannel stream = accept(null);

    stream.advance(READ_TIMEOUT.minusMillis(1));
    assertThat(stream.isOpen()).isTrue();

    stream.advance(Duration.ofMillis(1));
    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.droppedMalformed()).isZero();
  }

  @Test
  void stream_stallingPartWayThroughAFrame_timesOutAndIsDroppedAsMalformed() {
    PeerChannel stream = accept(null);

    stream.writeInbound(Unpooled.buffer().writeInt(100).writeBytes(HELLO));
    stream.advance(READ_TIMEOUT);

    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.droppedMalformed()).isEqualTo(1);
  }

  @Test
  void stream_tricklingItsRequest_isClosedAtTheRequestDeadline() {
    PeerChannel stream = accept(null);
    stream.writeInbound(Unpooled.buffer().writeInt(100));

    // One byte just inside every read timeout: the read timeout alone would never fire.
    Duration step = READ_TIMEOUT.minusMillis(1);
    long steps = CONFIG.requestDeadline().toMillis() / step.toMillis();
    for (long i = 0; i < steps; i++) {
      stream.advance(step);
      assertThat(stream.isOpen()).as("open after %d trickled bytes", i).isTrue();
      stream.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    }
    stream.advance(step);

    assertThat(stream.isOpen()).isFalse();
    assertThat(stats.droppedMalformed()).isEqualTo(1);
    assertThat(handler.streamRequests).isEmpty();
  }

  @Test
  void inboundStreams_overTheLimit_areClosedAtOnceAndCounted() {
    limit = new InboundLimit(1);
    PeerChannel first = accept(null);
    PeerChannel second = accept(null);

    assertThat(second.isOpen()).isFalse();
    assertThat(stats.streamsRejected()).isEqualTo(1);
    first.writeInbound(frame(HELLO)); // the one within the limit is served
    assertThat(first.written()).isEqualTo(framed(PONG));

    PeerChannel third = accept(null); // the first closed after answering: room again
    assertThat(third.isOpen()).isTrue();
    assertThat(stats.streamsAccepted()).isEqualTo(2);
    assertThat(stats.streamsRejected()).isEqualTo(1);
  }
}
