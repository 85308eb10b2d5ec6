package io.hivemind.bench.kv;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses (RFC 9112) off one connection's input stream, one after another: the
 * status line, the headers, then the body by {@code Content-Length}, by {@code Transfer-Encoding:
 * chunked} (etcd's Go gateway may send either), or, with neither, to the end of the stream (the
 * connection then closes). Interim 1xx answers are skipped.
 *
 * <p>Owned by one load worker's thread. It buffers the stream itself rather than reading through a
 * {@code BufferedInputStream}, whose every {@code read()} takes a lock. Every size is bounded
 * before anything is allocated for it, so a broken or hostile server costs at most {@code
 * maxHeaderBytes} plus {@code maxBodyBytes} of memory per connection and a clear error.
 */
final class HttpResponseReader {

  /** etcd's and Hivemind's answers carry a few hundred bytes of headers: 16 KiB is plenty. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Answers to a write are under a kilobyte (a put's header, "true", an error's JSON). */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /** A server may send a 100 Continue or a 103 Early Hints; one that never stops is broken. */
  private static final int MAX_INTERIM_ANSWERS = 8;

  /** A chunk size of more than 8 hex digits is over any body bound; longer is refused unread. */
  private static final int MAX_CHUNK_SIZE_DIGITS = 8;

  private final InputStream in;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final byte[] buffer = new byte[8192];
  private byte[] line = new byte[256];
  private int position;
  private int limit;

  /** Bytes of status line, headers and trailers the answer being read may still use. */
  private int headerBudget;

  HttpResponseReader(InputStream in) {
    this(in, MAX_HEADER_BYTES, MAX_BODY_BYTES);
  }

  HttpResponseReader(InputStream in, int maxHeaderBytes, int maxBodyBytes) {
    if (maxHeaderBytes < 1 || maxBodyBytes < 0) {
      throw new IllegalArgumentException(
          "bounds must be positive, were " + maxHeaderBytes + " and " + maxBodyBytes);
    }
    this.in = in;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The next response; EOFException when the stream ends before it is whole. */
  HttpAnswer read() throws IOException {
    Head head = readHead();
    for (int interim = 1; head.status() / 100 == 1; interim++) { // 100 Continue: the answer follows
      if (head.status() == 101) {
        throw new HttpProtocolException("101 Switching Protocols to a write");
      }
      if (interim > MAX_INTERIM_ANSWERS) {
        throw new HttpProtocolException("more than " + MAX_INTERIM_ANSWERS + " interim answers");
      }
      head = readHead();
    }
    byte[] body = readBody(head);
    boolean toEnd = !head.chunked() && head.contentLength() < 0 && mayHaveBody(head.status());
    return new HttpAnswer(
        head.status(), new String(body, StandardCharsets.UTF_8), head.closes() || toEnd);
  }

  /** What the status line and headers say about the body and the connection. */
  private record Head(int status, long contentLength, boolean chunked, boolean closes) {}

  private Head readHead() throws IOException {
    headerBudget = maxHeaderBytes;
    String statusLine = readHeaderLine();
    int status = status(statusLine);
    boolean closes = statusLine.startsWith("HTTP/1.0"); // 1.0 closes unless it says keep-alive
    long contentLength = -1;
    boolean chunked = false;
    for (String header = readHeaderLine(); !header.isEmpty(); header = readHeaderLine()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new HttpProtocolException("header line without a name");
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> contentLength = contentLength(value, contentLength);
        case "transfer-encoding" -> chunked = chunked(value);
        case "connection" -> closes = closes(value, closes);
        default -> {} // the writers need no other header
      }
    }
    return new Head(status, contentLength, chunked, closes);
  }

  /** {@code HTTP/1.x SSS reason}: the three-digit status. */
  private static int status(String statusLine) throws HttpProtocolException {
    boolean shaped =
        statusLine.startsWith("HTTP/1.")
            && statusLine.length() >= 12
            && statusLine.charAt(8) == ' '
            && (statusLine.length() == 12 || statusLine.charAt(12) == ' ');
    if (!shaped || !isDigits(statusLine, 9, 12)) {
      throw new HttpProtocolException("status line is not HTTP/1.x with a 3-digit status");
    }
    return Integer.parseInt(statusLine, 9, 12, 10);
  }

  private long contentLength(String value, long earlier) throws HttpProtocolException {
    if (value.isEmpty() || value.length() > 18 || !isDigits(value, 0, value.length())) {
      throw new HttpProtocolException("Content-Length is not a number");
    }
    long length = Long.parseLong(value);
    if (earlier >= 0 && earlier != length) {
      throw new HttpProtocolException("two different Content-Length headers");
    }
    if (length > maxBodyBytes) {
      throw new HttpProtocolException("body over " + maxBodyBytes + " bytes");
    }
    return length;
  }

  /** Only chunked is decoded: the writers ask for no compression, so nothing else should come. */
  private static boolean chunked(String value) throws HttpProtocolException {
    for (String coding : value.split(",")) {
      if (!coding.strip().equalsIgnoreCase("chunked")) {
        throw new HttpProtocolException("transfer coding other than chunked");
      }
    }
    return true;
  }

  private static boolean closes(String value, boolean closes) {
    for (String option : value.split(",")) {
      String token = option.strip();
      if (token.equalsIgnoreCase("close")) {
        return true;
      }
      if (token.equalsIgnoreCase("keep-alive")) {
        closes = false;
      }
    }
    return closes;
  }

  /** 1xx, 204 and 304 answers have no body whatever their headers say (RFC 9112 6.3). */
  private static boolean mayHaveBody(int status) {
    return status / 100 != 1 && status != 204 && status != 304;
  }

  private byte[] readBody(Head head) throws IOException {
    if (!mayHaveBody(head.status())) {
      return new byte[0];
    }
    if (head.chunked()) {
      return readChunked();
    }
    if (head.contentLength() >= 0) {
      return readExactly((int) head.contentLength());
    }
    return readToEnd();
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = chunkSize(); size > 0; size = chunkSize()) {
      if (size > maxBodyBytes - body.size()) {
        throw new HttpProtocolException("body over " + maxBodyBytes + " bytes");
      }
      body.write(readExactly(size));
      if (!readLine(2, "chunk not followed by CRLF").isEmpty()) {
        throw new HttpProtocolException("chunk not followed by CRLF");
      }
    }
    headerBudget = maxHeaderBytes; // trailers: a header section of their own, bounded alike
    while (!readHeaderLine().isEmpty()) {
      // Trailer fields carry nothing the writers use.
    }
    return body.toByteArray();
  }

  /** {@code SIZE[;extension...]}, SIZE in hex; extensions are ignored (RFC 9112 7.1.1). */
  private int chunkSize() throws IOException {
    String sizeLine = readLine(maxHeaderBytes, "chunk size line over " + maxHeaderBytes + " bytes");
    int semicolon = sizeLine.indexOf(';');
    String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
    if (hex.isEmpty() || hex.length() > MAX_CHUNK_SIZE_DIGITS || !isHex(hex)) {
      throw new HttpProtocolException("chunk size is not 1 to 8 hex digits");
    }
    long size = Long.parseLong(hex, 16);
    if (size > maxBodyBytes) {
      throw new HttpProtocolException("body over " + maxBodyBytes + " bytes");
    }
    return (int) size;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = new byte[length];
    int filled = 0;
    while (filled < length) {
      if (position == limit && !fill()) {
        throw new EOFException("answer ended after " + filled + " of " + length + " body bytes");
      }
      int n = Math.min(length - filled, limit - position);
      System.arraycopy(buffer, position, bytes, filled, n);
      position += n;
      filled += n;
    }
    return bytes;
  }

  private byte[] readToEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (position < limit || fill()) {
      int n = limit - position;
      if (n > maxBodyBytes - body.size()) {
        throw new HttpProtocolException("body over " + maxBodyBytes + " bytes");
      }
      body.write(buffer, position, n);
      position = limit;
    }
    return body.toByteArray();
  }

  private String readHeaderLine() throws IOException {
    String text = readLine(headerBudget, "header section over " + maxHeaderBytes + " bytes");
    headerBudget -= text.length() + 2;
    return text;
  }

  /** A line without its CRLF (or bare LF), of at most {@code maxBytes} bytes before the LF. */
  private String readLine(int maxBytes, String overBound) throws IOException {
    int length = 0;
    while (true) {
      if (position == limit && !fill()) {
        throw new EOFException("answer ended inside a line");
      }
      byte b = buffer[position++];
      if (b == '\n') {
        break;
      }
      if (length >= maxBytes) {
        throw new HttpProtocolException(overBound);
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, 2 * length);
      }
      line[length++] = b;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, StandardCharsets.ISO_8859_1);
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private static boolean isDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
