package io.hivemind.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers written as raw bytes just before a connection is closed, when the HTTP codec is not (or
 * no longer) the one to write them: the 503 to a connection over the cap, the 408 to a request that
 * did not arrive in time. Encoded once per API; writing one costs a wrapper around a shared array.
 *
 * <p>An answer is written and the connection closed at once, without waiting for the bytes to go
 * out: a fresh socket's send buffer takes a few hundred bytes at once, and a client that stopped
 * reading loses only the answer, never holds the descriptor. A client that had already sent more
 * may see a reset instead of the answer (its bytes arrive at a closed socket); either way it is
 * refused.
 */
final class ClosingAnswers {

  private ClosingAnswers() {}

  /** An HTTP/1.1 answer with a JSON error body and {@code Connection: close}, as bytes. */
  static byte[] encode(
      int status, String reason, String extraHeaders, String code, String message) {
    byte[] body = ApiJson.error(code, message);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: "
            + ApiRequest.JSON
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n"
            + extraHeaders
            + "\r\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
    bytes.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }

  /**
   * Writes {@code answer} from {@code ctx} towards the socket, past any handler behind it (the
   * codec), and closes the connection without waiting for the write.
   */
  static void writeAndClose(ChannelHandlerContext ctx, byte[] answer) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
    ctx.close();
  }
}
