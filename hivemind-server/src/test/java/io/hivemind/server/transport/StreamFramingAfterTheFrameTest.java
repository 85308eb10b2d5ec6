package io.hivemind.server.transport;

import static io.hivemind.server.transport.PeerChannel.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A stream carries one frame each way: what a peer sends after it is ignored, never counted as
 * another framing error of a stream that was served or refused. Found by the fuzz suite
 * (hivemind-fuzz, StreamFramingFuzzTest): the decoder went on decoding after the first frame, so a
 * lying second length counted {@code oversized} (twice for a stream already refused as oversized)
 * and a partial second frame {@code malformed}, while a whole second frame was ignored.
 */
class StreamFramingAfterTheFrameTest {

  private static final byte[] HELLO = "hello".getBytes(UTF_8);
  private static final TransportConfig CONFIG =
      TransportConfig.of("127.0.0.1", 0)
          .withMaxFrameBytes(1024)
          .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));

  private final TransportStats stats = new TransportStats();
  private final RecordingHandler handler = new RecordingHandler(request -> HELLO);

  private PeerChannel server() {
    return PeerChannel.stream(
        CONFIG,
        new StreamServerHandler(
            new Envelope(null, stats),
            handler,
            stats,
            new InboundLimit(8),
            CONFIG.requestDeadline()));
  }

  @Test
  void bytesAfterTheRequest_lengthOverTheLimit_areIgnoredNotCountedOversized() {
    PeerChannel stream = server();

    // The fuzz suite's shrunk input: a 6-byte frame, then a prefix that reads as 1,384 bytes.
    stream.writeInbound(
        Unpooled.wrappedBuffer(
            new byte[] {0, 0, 0, 6, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}));

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(stats.droppedOversized()).isZero();
    assertThat(stream.isOpen()).isFalse();
  }

  @Test
  void bytesAfterTheRequest_partOfAFrame_areIgnoredNotCountedMalformed() {
    PeerChannel stream = server();

    stream.writeInbound(Unpooled.wrappedBuffer(frame(HELLO), Unpooled.buffer().writeInt(100)));
    stream.close();

    assertThat(handler.streamRequests).hasSize(1);
    assertThat(stats.droppedMalformed()).isZero();
    stream.checkException();
  }

  @Test
  void bytesAfterAnOversizedLength_anotherOversizedLength_countOneDropOnly() {
    PeerChannel stream = server();

    // A 1,025-byte frame (over the limit) sent whole, then another length over the limit.
    stream.writeInbound(
        Unpooled.buffer()
            .writeInt(1025)
            .writeBytes(new byte[1025])
            .writeInt(2048)
            .writeBytes(new byte[8]));
    stream.close();

    assertThat(stats.droppedOversized()).isEqualTo(1);
    assertThat(stats.droppedMalformed()).isZero();
    assertThat(handler.streamRequests).isEmpty();
  }

  @Test
  void bytesAfterTheResponse_partOfAFrame_areIgnoredNotCountedMalformed() {
    RecordingHandler client = RecordingHandler.silent();
    PeerChannel stream =
        PeerChannel.stream(
            CONFIG, new StreamClientHandler(7, HELLO, new Envelope(null, stats), client, stats));

    stream.writeInbound(
        Unpooled.wrappedBuffer(frame(HELLO), Unpooled.wrappedBuffer(new byte[] {0, 0})));

    assertThat(client.responses).containsOnlyKeys(7L);
    assertThat(client.failures).isEmpty();
    assertThat(stats.droppedMalformed()).isZero();
  }
}
