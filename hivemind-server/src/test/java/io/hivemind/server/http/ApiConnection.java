package io.hivemind.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One API connection without a socket: the API's real pipeline ({@link ApiChannelInitializer}) on
 * an {@link EmbeddedChannel} whose clock moves only when a test says, plus the client's side that
 * decodes what the server wrote back into whole responses. Several connections made from one
 * initializer share its connection cap, as the connections of one API do.
 */
final class ApiConnection implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One decoded response. */
  record Answer(HttpVersion version, int status, HttpHeaders headers, String body) {

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String errorCode() throws IOException {
      return json().get("error").asText();
    }
  }

  private final MockTicker clock = Ticker.newMockTicker();
  private final EmbeddedChannel channel;

  /** Turns the bytes the server wrote back into whole responses. */
  private final EmbeddedChannel client =
      new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

  /** A new connection through {@code initializer}, open (or refused) as an accepted one is. */
  ApiConnection(ApiChannelInitializer initializer) {
    channel = EmbeddedChannel.builder().ticker(clock).handlers(initializer).build();
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  /** Writes {@code bytes} as a client would and returns the answers written back so far. */
  List<Answer> send(String bytes) {
    if (channel.isOpen()) {
      channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
      channel.runPendingTasks();
    }
    return answers();
  }

  /**
   * Writes {@code bytes} and returns what the server wrote back, undecoded: for answers whose exact
   * sequence on the wire matters (an interim 100 Continue before the final response).
   */
  String sendRaw(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
    channel.runPendingTasks();
    return written();
  }

  /** What the server has written since the last call, undecoded (a stream that never ends). */
  String written() {
    channel.runPendingTasks();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
      byte[] chunk = new byte[buffer.readableBytes()];
      buffer.readBytes(chunk).release();
      written.writeBytes(chunk);
    }
    return written.toString(UTF_8);
  }

  /** Decodes what the server has written since the last call. */
  List<Answer> answers() {
    for (ByteBuf written = channel.readOutbound();
        written != null;
        written = channel.readOutbound()) {
      client.writeInbound(written);
    }
    List<Answer> answers = new ArrayList<>();
    for (FullHttpResponse response = client.readInbound();
        response != null;
        response = client.readInbound()) {
      answers.add(
          new Answer(
              response.protocolVersion(),
              response.status().code(),
              response.headers().copy(),
              response.content().toString(UTF_8)));
      response.release();
    }
    return answers;
  }

  /** Moves this connection's clock by {@code duration} and runs the timers that fell due. */
  void advance(Duration duration) {
    clock.advance(duration.toNanos(), TimeUnit.NANOSECONDS);
    channel.runPendingTasks();
  }

  /** Runs tasks queued on the connection's loop (answers completed from another future). */
  void runPendingTasks() {
    channel.runPendingTasks();
  }

  /** The client goes away. */
  void disconnect() {
    channel.close();
    channel.runPendingTasks();
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }
}
