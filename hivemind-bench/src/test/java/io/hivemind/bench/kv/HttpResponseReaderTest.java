package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The response parser over byte streams: the answers etcd's gateway and Hivemind send, and bad
 * ones.
 */
class HttpResponseReaderTest {

  private static HttpResponseReader reader(String bytes) {
    return new HttpResponseReader(stream(bytes));
  }

  private static InputStream stream(String bytes) {
    return new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void contentLength_readsThatManyBytes_andKeepsTheConnection() throws IOException {
    HttpAnswer answer =
        reader("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ntrue\n")
            .read();

    assertThat(answer).isEqualTo(new HttpAnswer(200, "true\n", false));
  }

  @Test
  void keptAliveConnection_answersReadOneAfterAnother() throws IOException {
    HttpResponseReader reader =
        reader(
            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntrue"
                + "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\n\r\n{}");

    assertThat(reader.read()).isEqualTo(new HttpAnswer(200, "true", false));
    assertThat(reader.read()).isEqualTo(new HttpAnswer(503, "{}", false));
  }

  @Test
  void chunked_withExtensionsAndTrailers_isJoined() throws IOException {
    HttpResponseReader reader =
        reader(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\n{\"hea\r\n"
                + "A\r\nder\":{}}\r\n\r\n"
                + "0;last\r\nGrpc-Status: 0\r\nX-Trailer: y\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n");

    assertThat(reader.read()).isEqualTo(new HttpAnswer(200, "{\"header\":{}}\r\n", false));
    assertThat(reader.read()).isEqualTo(new HttpAnswer(204, "", false));
  }

  @Test
  void chunked_winsOverAContentLength() throws IOException {
    HttpAnswer answer =
        reader(
                "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\nok\r\n0\r\n\r\n")
            .read();

    assertThat(answer.body()).isEqualTo("ok");
  }

  @Test
  void noLength_withConnectionClose_readsToTheEnd_andCloses() throws IOException {
    HttpAnswer answer =
        reader("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nbroken\nfor good")
            .read();

    assertThat(answer).isEqualTo(new HttpAnswer(500, "broken\nfor good", true));
  }

  @Test
  void connectionClose_withALength_closesAfterTheAnswer() throws IOException {
    HttpAnswer answer =
        reader("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n")
            .read();

    assertThat(answer).isEqualTo(new HttpAnswer(200, "", true));
  }

  @Test
  void http10_closesUnlessItSaysKeepAlive() throws IOException {
    assertThat(reader("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").read().closes()).isTrue();
    assertThat(
            reader("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
                .read()
                .closes())
        .isFalse();
  }

  @Test
  void interim100Continue_isSkipped() throws IOException {
    HttpAnswer answer =
        reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            .read();

    assertThat(answer).isEqualTo(new HttpAnswer(200, "ok", false));
  }

  @Test
  void bareLineFeeds_areAccepted() throws IOException {
    assertThat(reader("HTTP/1.1 200\nContent-Length: 1\n\nx").read())
        .isEqualTo(new HttpAnswer(200, "x", false));
  }

  @Test
  void oversizedHeaders_areRefusedWithoutReadingThemAll() {
    HttpResponseReader reader =
        new HttpResponseReader(
            stream("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(200) + "\r\n\r\n"), 128, 1024);

    assertThatThrownBy(reader::read)
        .isInstanceOf(HttpProtocolException.class)
        .hasMessage("header section over 128 bytes");
  }

  @Test
  void manySmallHeaders_countTogether() {
    String headers = "X-A: b\r\n".repeat(20); // 160 bytes in lines of 8
    HttpResponseReader reader =
        new HttpResponseReader(stream("HTTP/1.1 200 OK\r\n" + headers + "\r\n"), 128, 1024);

    assertThatThrownBy(reader::read).hasMessage("header section over 128 bytes");
  }

  @Test
  void contentLengthOverTheBound_isRefusedBeforeAllocating() {
    HttpResponseReader reader =
        new HttpResponseReader(
            stream("HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n"), 1024, 1024);

    assertThatThrownBy(reader::read)
        .isInstanceOf(HttpProtocolException.class)
        .hasMessage("body over 1024 bytes");
  }

  @Test
  void chunksOverTheBound_areRefused() {
    HttpResponseReader reader =
        new HttpResponseReader(
            stream(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"),
            1024,
            10);

    assertThatThrownBy(reader::read).hasMessage("body over 10 bytes");
  }

  @Test
  void bodyToTheEndOverTheBound_isRefused() {
    HttpResponseReader reader =
        new HttpResponseReader(
            stream("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + "x".repeat(11)), 1024, 10);

    assertThatThrownBy(reader::read).hasMessage("body over 10 bytes");
  }

  @Test
  void truncatedBody_isAnEof() {
    assertThatThrownBy(reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\ntrue")::read)
        .isInstanceOf(EOFException.class)
        .hasMessage("answer ended after 4 of 10 body bytes");
  }

  @Test
  void truncatedChunkedBody_andTruncatedHead_areEofs() {
    assertThatThrownBy(reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")::read)
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(reader("HTTP/1.1 200 OK\r\nContent-Le")::read)
        .isInstanceOf(EOFException.class)
        .hasMessage("answer ended inside a line");
    assertThatThrownBy(reader("")::read).isInstanceOf(EOFException.class);
  }

  @Test
  void malformedAnswers_areRefusedWithWhatWasWrong() {
    assertThat(failure("SSH-2.0-OpenSSH_9.2\r\n\r\n"))
        .isEqualTo("status line is not HTTP/1.x with a 3-digit status");
    assertThat(failure("HTTP/1.1 2x0 OK\r\n\r\n"))
        .isEqualTo("status line is not HTTP/1.x with a 3-digit status");
    assertThat(failure("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))
        .isEqualTo("header line without a name");
    assertThat(failure("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))
        .isEqualTo("Content-Length is not a number");
    assertThat(failure("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"))
        .isEqualTo("two different Content-Length headers");
    assertThat(failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
        .isEqualTo("transfer coding other than chunked");
    assertThat(failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n"))
        .isEqualTo("chunk size is not 1 to 8 hex digits");
    assertThat(failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n123456789\r\n"))
        .isEqualTo("chunk size is not 1 to 8 hex digits");
    assertThat(failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n"))
        .isEqualTo("chunk not followed by CRLF");
    assertThat(failure("HTTP/1.1 101 Switching Protocols\r\n\r\n"))
        .isEqualTo("101 Switching Protocols to a write");
    assertThat(failure("HTTP/1.1 100 Continue\r\n\r\n".repeat(9)))
        .isEqualTo("more than 8 interim answers");
  }

  @Test
  void reason_namesTheKind_andForABadAnswerWhatWasWrong() {
    assertThat(HttpConnection.reason(new EOFException("answer ended inside a line")))
        .isEqualTo("EOFException");
    assertThat(HttpConnection.reason(new HttpProtocolException("body over 10 bytes")))
        .isEqualTo("HttpProtocolException: body over 10 bytes");
  }

  private static String failure(String bytes) {
    try {
      reader(bytes).read();
    } catch (HttpProtocolException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new AssertionError("not a protocol error: " + e, e);
    }
    throw new AssertionError("read without error: " + bytes);
  }
}
