package io.hivemind.bench.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * One persistent HTTP/1.1 connection to one endpoint, used by one load worker's thread only (no
 * locks): each request goes out in a single write and its answer is read in the same thread, with
 * no selector thread or executor hand-off between them. That is the point of it: the JDK's {@code
 * HttpClient} spent about 0.34 ms of CPU and several thread wake-ups per call, on the same two
 * cores as the systems under test.
 *
 * <p>Connects lazily, with {@code TCP_NODELAY} on (a request is one segment; waiting for an ACK of
 * the previous one would add Nagle's delay to every write). After any I/O failure, and after an
 * answer that closes the connection, it is closed and the next exchange opens a new one. A request
 * is not sent again on a fresh connection when a kept-alive one turns out closed by the server: the
 * load counts it as failed, as it would any other.
 */
final class HttpConnection implements AutoCloseable {

  private final String host;
  private final int port;
  private final String hostHeader;
  private final int timeoutMillis;
  private Socket socket;
  private OutputStream out;
  private HttpResponseReader reader;

  /**
   * To {@code endpoint}'s host and port; {@code timeout} bounds the connect and each wait for the
   * answer's bytes.
   */
  HttpConnection(URI endpoint, Duration timeout) {
    if (!"http".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("wants an http://HOST:PORT endpoint, got " + endpoint);
    }
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    this.hostHeader = host + ":" + port;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  /** The {@code Host} header's value: the endpoint's {@code host:port}. */
  String host() {
    return hostHeader;
  }

  /** Sends {@code request} and reads its answer; on failure the connection is closed. */
  HttpAnswer exchange(KvRequest request) throws IOException {
    byte[] bytes = request.encode(hostHeader);
    try {
      if (socket == null) {
        open();
      }
      out.write(bytes);
      HttpAnswer answer = reader.read();
      if (answer.closes()) {
        close();
      }
      return answer;
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /**
   * The error reason a failed exchange is counted by: the exception's kind, as the JDK client's
   * failures were counted, and for an answer that is not HTTP as read here, also what was wrong.
   */
  static String reason(IOException e) {
    String kind = e.getClass().getSimpleName();
    return e instanceof HttpProtocolException ? kind + ": " + e.getMessage() : kind;
  }

  private void open() throws IOException {
    Socket opened = new Socket();
    try {
      opened.setTcpNoDelay(true);
      opened.connect(new InetSocketAddress(host, port), timeoutMillis);
      opened.setSoTimeout(timeoutMillis);
      out = opened.getOutputStream();
      reader = new HttpResponseReader(opened.getInputStream());
    } catch (IOException e) {
      opened.close();
      throw e;
    }
    socket = opened;
  }

  @Override
  public void close() {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket already broken fails too; it is dropped either way.
    }
    socket = null;
    out = null;
    reader = null;
  }
}
