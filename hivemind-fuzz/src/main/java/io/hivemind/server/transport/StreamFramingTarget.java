package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import io.hivemind.fuzz.Choices;
import io.hivemind.fuzz.FramedStreams;
import io.hivemind.fuzz.FramedStreams.Ending;
import io.hivemind.fuzz.FramedStreams.StreamInput;
import io.hivemind.fuzz.FuzzFailure;
import io.hivemind.fuzz.FuzzTarget;
import io.hivemind.fuzz.Outcomes;
import io.hivemind.fuzz.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gossip stream framing ({@link StreamFraming}) with the real stream handlers behind it ({@link
 * StreamServerHandler} answering, {@link StreamClientHandler} opening), plaintext or sealed, on an
 * embedded channel: arbitrary byte streams in arbitrary reads, then closed, silent until the read
 * timeout, or left open. It lives in the transport's package because the pipeline is
 * package-private; it touches nothing else there. After each stream:
 *
 * <ul>
 *   <li>nothing was thrown out of the pipeline;
 *   <li>no buffer was allocated beyond the frame limit plus one read, whatever length the prefix
 *       claimed;
 *   <li>the outcome is the one the framing rules give (docs/protocol/transport.md): the first frame
 *       delivered (or refused as unauthenticated) if it is complete and within the limit; a length
 *       over the limit closes at once and counts {@code oversized}; a stream that ends part-way
 *       through a frame counts {@code malformed}; a closed or timed-out stream is closed;
 *   <li>the server writes exactly one framed answer or nothing; the client reports exactly one
 *       outcome, response or failure;
 *   <li>the counters add up: one stream accepted, drops as predicted, failures as reported.
 * </ul>
 */
public final class StreamFramingTarget implements FuzzTarget {

  static final int MAX_FRAME = 1024;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  private static final TransportConfig CONFIG =
      TransportConfig.of("127.0.0.1", 0)
          .withMaxFrameBytes(MAX_FRAME)
          .withTimeouts(Duration.ofSeconds(1), READ_TIMEOUT);

  private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.2", 7946);
  private static final long STREAM_ID = 7;
  private static final byte[] REQUEST = "request".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.US_ASCII);

  /** A fixed key (the bytes 0 to 31), so the sealed corpus is sealed once per run. */
  private static final GossipKeyring KEYRING =
      GossipKeyring.of("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

  /** Frame contents around the limit; sealing adds {@link GossipKeyring#OVERHEAD_BYTES}. */
  private static final List<byte[]> PLAINTEXTS =
      List.of(
          "hello".getBytes(StandardCharsets.US_ASCII),
          new byte[0],
          new byte[1],
          filled(MAX_FRAME - GossipKeyring.OVERHEAD_BYTES),
          filled(MAX_FRAME - 1),
          filled(MAX_FRAME),
          filled(MAX_FRAME + 1));

  private static final List<byte[]> SEALED_REQUESTS = sealed(FrameKind.STREAM_REQUEST);
  private static final List<byte[]> SEALED_RESPONSES = sealed(FrameKind.STREAM_RESPONSE);

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public void run(Choices choices, Outcomes outcomes) {
    boolean server = choices.below(3) != 2;
    boolean sealed = choices.oneIn(3);
    FramedStreams streams = new FramedStreams(c -> payload(c, server, sealed), MAX_FRAME);
    StreamInput input = streams.next(choices);
    byte[] answer = choices.oneIn(4) ? null : ANSWER;
    Stream stream = new Stream(server, sealed, answer);
    try {
      stream.feed(input);
    } catch (RuntimeException | StackOverflowError e) {
      throw new FuzzFailure("nothing escapes the stream pipeline", e.toString(), input.bytes(), e);
    }
    outcomes.count((server ? "server " : "client ") + stream.check(input));
  }

  /** A frame's content: a plaintext, or a sealed one, now and then with a bit flipped. */
  private static byte[] payload(Choices choices, boolean server, boolean sealed) {
    if (!sealed) {
      return choices.oneIn(4)
          ? choices.bytes(choices.below(MAX_FRAME + 8))
          : choices.pick(PLAINTEXTS);
    }
    boolean replayed = choices.oneIn(8); // a response replayed as a request, or the reverse
    byte[] payload = choices.pick(server != replayed ? SEALED_REQUESTS : SEALED_RESPONSES).clone();
    if (choices.oneIn(3) && payload.length > 0) {
      payload[choices.below(payload.length)] ^= (byte) (1 << choices.below(8));
    }
    return payload;
  }

  /** One stream under test: the channel, its clock, allocator and what the handler saw. */
  private static final class Stream {

    private final boolean server;
    private final boolean sealed;
    private final byte[] answer;
    private final TransportStats stats = new TransportStats();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final List<byte[]> requests = new ArrayList<>();
    private final List<byte[]> responses = new ArrayList<>();
    private final List<Long> failures = new ArrayList<>();
    private final ByteArrayOutputStream fed = new ByteArrayOutputStream();
    private final PeerStream channel;

    Stream(boolean server, boolean sealed, byte[] answer) {
      this.server = server;
      this.sealed = sealed;
      this.answer = answer;
      Envelope envelope = new Envelope(sealed ? KEYRING : null, stats);
      ChannelHandler last =
          server
              ? new StreamServerHandler(
                  envelope, new Recorder(), stats, new InboundLimit(8), CONFIG.requestDeadline())
              : new StreamClientHandler(STREAM_ID, REQUEST, envelope, new Recorder(), stats);
      this.channel = new PeerStream(ticker, last);
    }

    void feed(StreamInput input) {
      channel.config().setAllocator(allocator);
      for (byte[] chunk : input.chunks()) {
        if (!channel.isOpen() || !channel.config().isAutoRead()) {
          break; // a closed socket, or one no longer read, delivers nothing more
        }
        fed.writeBytes(chunk);
        channel.writeInbound(Unpooled.wrappedBuffer(chunk));
      }
      if (input.ending() == Ending.CLOSE) {
        channel.close();
      } else if (input.ending() == Ending.READ_TIMEOUT) {
        ticker.advance(READ_TIMEOUT.toNanos() + 1, TimeUnit.NANOSECONDS);
      }
      channel.runPendingTasks();
      channel.checkException();
    }

    /** Checks every property; returns the outcome. */
    String check(StreamInput input) {
      byte[] bytes = fed.toByteArray();
      Framing framing = Framing.of(bytes);
      int bound = Integer.highestOneBit(MAX_FRAME + 4 + input.largestChunk()) << 1;
      require(
          allocator.largest() <= bound,
          "allocations stay within the frame limit",
          "a buffer of " + allocator.largest() + " bytes (bound " + bound + ")",
          bytes);
      require(
          stats.streamsAccepted() == (server ? 1 : 0) && stats.streamsRejected() == 0,
          "the counters add up",
          "streams accepted " + stats.streamsAccepted() + ", rejected " + stats.streamsRejected(),
          bytes);
      boolean ended = input.ending() != Ending.OPEN;
      require(
          !(ended || framing.oversized() || framing.complete()) || !channel.isOpen(),
          "a stream that ended is closed",
          framing + ", still open",
          bytes);
      checkDrops(framing, ended, bytes);
      String outcome = server ? checkServer(framing, bytes) : checkClient(framing, ended, bytes);
      channel.finishAndReleaseAll();
      return (sealed ? "sealed " : "") + outcome;
    }

    private void checkDrops(Framing framing, boolean ended, byte[] bytes) {
      long oversized = framing.oversized() ? 1 : 0;
      long malformed =
          !framing.oversized() && !framing.complete() && ended && bytes.length > 0 ? 1 : 0;
      require(
          stats.droppedOversized() == oversized,
          "the counters add up",
          "oversized " + stats.droppedOversized() + ", expected " + oversized + " for " + framing,
          bytes);
      require(
          stats.droppedMalformed() == malformed,
          "the counters add up",
          "malformed " + stats.droppedMalformed() + ", expected " + malformed + " for " + framing,
          bytes);
    }

    private String checkServer(Framing framing, byte[] bytes) {
      long unauthenticated = stats.droppedUnauthenticated();
      require(
          requests.size() + unauthenticated == (framing.complete() ? 1 : 0),
          "a complete frame is delivered, once",
          requests.size() + " requests, " + unauthenticated + " unauthenticated, for " + framing,
          bytes);
      byte[] written = channel.written();
      if (requests.isEmpty()) {
        require(
            written.length == 0,
            "an unanswered stream gets nothing",
            written.length + " bytes written",
            bytes);
        return framing.outcome(unauthenticated > 0);
      }
      byte[] request = requests.get(0);
      require(
          request.length <= MAX_FRAME,
          "a delivered frame is within the limit",
          request.length + " bytes",
          bytes);
      require(
          sealed || Arrays.equals(request, framing.frame(bytes)),
          "the frame delivered is the frame sent",
          "a different frame",
          bytes);
      require(
          isAnswer(written),
          "the answer is one frame",
          "wrote " + written.length + " bytes",
          bytes);
      return framing.outcome(false);
    }

    /** True if {@code written} is the handler's answer, framed (and sealed), or nothing if none. */
    private boolean isAnswer(byte[] written) {
      if (answer == null || written.length < 4) {
        return answer == null && written.length == 0;
      }
      byte[] payload = Arrays.copyOfRange(written, 4, written.length);
      if (readLength(written) != payload.length) {
        return false;
      }
      try {
        return Arrays.equals(
            sealed ? KEYRING.open(FrameKind.STREAM_RESPONSE, payload) : payload, answer);
      } catch (UnauthenticatedFrameException e) {
        return false;
      }
    }

    private String checkClient(Framing framing, boolean ended, byte[] bytes) {
      byte[] written = channel.written();
      int outcomes = responses.size() + failures.size();
      require(
          written.length == REQUEST.length + (sealed ? GossipKeyring.OVERHEAD_BYTES : 0) + 4,
          "the request is one frame",
          "wrote " + written.length + " bytes",
          bytes);
      require(
          outcomes <= 1 && stats.streamFailures() == failures.size(),
          "one outcome per stream",
          responses.size()
              + " responses, "
              + failures.size()
              + " failures, "
              + stats.streamFailures()
              + " counted",
          bytes);
      require(
          outcomes == 1 || !(ended || framing.oversized() || framing.complete()),
          "one outcome per stream",
          "none reported for " + framing,
          bytes);
      if (!responses.isEmpty()) {
        require(
            framing.complete(), "only a complete frame is a response", framing.toString(), bytes);
        require(
            sealed || Arrays.equals(responses.get(0), framing.frame(bytes)),
            "the frame delivered is the frame sent",
            "a different response",
            bytes);
      }
      return framing.outcome(stats.droppedUnauthenticated() > 0);
    }

    /** Records what the handlers hand on; the server answers with {@link #answer}. */
    private final class Recorder implements GossipHandler {

      @Override
      public void onPacket(Address from, byte[] packet) {
        throw new AssertionError("no datagrams on a stream");
      }

      @Override
      public byte[] onStreamRequest(Address from, byte[] request) {
        requests.add(request);
        return answer;
      }

      @Override
      public void onStreamResponse(long streamId, byte[] response) {
        responses.add(response);
      }

      @Override
      public void onStreamFailure(long streamId) {
        failures.add(streamId);
      }
    }
  }

  /**
   * What the framing rules make of the bytes that reached the channel: the first frame's length,
   * and whether it is over the limit, complete, or cut short.
   */
  private record Framing(int received, long length) {

    static Framing of(byte[] bytes) {
      long length = bytes.length < 4 ? -1 : Integer.toUnsignedLong(readLength(bytes));
      return new Framing(bytes.length, length);
    }

    boolean oversized() {
      return length > MAX_FRAME;
    }

    boolean complete() {
      return length >= 0 && !oversized() && received >= 4 + length;
    }

    byte[] frame(byte[] bytes) {
      return Arrays.copyOfRange(bytes, 4, 4 + (int) length);
    }

    String outcome(boolean unauthenticated) {
      if (oversized()) {
        return "oversized";
      }
      if (complete()) {
        return unauthenticated ? "unauthenticated" : "delivered";
      }
      return received == 0 ? "empty" : "cut short";
    }

    @Override
    public String toString() {
      return received + " bytes received, first length " + length;
    }
  }

  /** The big-endian length prefix at the start of {@code bytes}. */
  private static int readLength(byte[] bytes) {
    return ((bytes[0] & 0xFF) << 24)
        | ((bytes[1] & 0xFF) << 16)
        | ((bytes[2] & 0xFF) << 8)
        | (bytes[3] & 0xFF);
  }

  private static void require(boolean holds, String property, String detail, byte[] input) {
    if (!holds) {
      throw new FuzzFailure(property, detail, input);
    }
  }

  private static byte[] filled(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 'f');
    return bytes;
  }

  private static List<byte[]> sealed(FrameKind kind) {
    return PLAINTEXTS.stream().map(p -> KEYRING.seal(kind, p)).toList();
  }

  /** An embedded stream whose peer has an IP address, as a TCP peer does. */
  private static final class PeerStream extends EmbeddedChannel {

    PeerStream(MockTicker ticker, ChannelHandler last) {
      super(
          EmbeddedChannel.builder()
              .ticker(ticker)
              .handlers(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                      StreamFraming.install(channel.pipeline(), CONFIG, last);
                    }
                  }));
    }

    byte[] written() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (ByteBuf buffer = readOutbound(); buffer != null; buffer = readOutbound()) {
        byte[] chunk = new byte[buffer.readableBytes()];
        buffer.readBytes(chunk);
        buffer.release();
        bytes.writeBytes(chunk);
      }
      return bytes.toByteArray();
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return PEER;
    }
  }
}
