package io.hivemind.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * The body of an answer that goes on until the client leaves (server-sent events): text chunks
 * written as they come. Any thread may write; the bytes go out on the connection's event loop in
 * the order written.
 */
final class ApiStream {

  private final Channel channel;

  ApiStream(Channel channel) {
    this.channel = channel;
  }

  /** Writes {@code text} as one chunk; does nothing once the connection has closed. */
  void write(String text) {
    // An empty chunk would read as the chunked body's end: write none.
    if (!text.isEmpty() && channel.isActive()) {
      channel.writeAndFlush(
          new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }
  }

  /** Ends the body and closes the connection. */
  void end() {
    if (channel.isActive()) {
      channel
          .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  boolean isOpen() {
    return channel.isActive();
  }
}
