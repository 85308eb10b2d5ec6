package io.hivemind.it.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Slow clients (slowloris): connections that send a request head one byte at a time and never
 * finish it, so each byte resets an idle timer. Loopback only and bounded: a flood test must not
 * reach another host, and the caller says how many connections and for how long.
 *
 * <p>Not thread-safe: one thread opens, trickles and reads (a test's own, or a scheduler's).
 */
final class SlowClients implements AutoCloseable {

  /** How a slow connection ended, read from what the server sent it. */
  enum Outcome {
    /** Answered 503 {@code too_many_connections} and closed: over the cap. */
    REFUSED,
    /** Answered 408 {@code request_timeout} and closed: its head did not arrive in time. */
    TIMED_OUT,
    /** Closed without an answer, or reset before the answer could be read. */
    CLOSED,
    /** Still open: the server neither answered nor closed it. */
    OPEN
  }

  /** A request head that never ends: a header line that goes on and on. */
  private static final byte[] HEAD =
      ("GET /v1/agent/self HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(4000))
          .getBytes(StandardCharsets.US_ASCII);

  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private final InetSocketAddress server;
  private final List<Slow> connections = new ArrayList<>();
  private int connectFailures;

  private SlowClients(InetSocketAddress server) {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("slow clients go to loopback only, not " + server);
    }
    this.server = server;
  }

  /**
   * Opens {@code count} connections to {@code server}, each sending its first byte.
   *
   * @throws IOException if not even the first connection could be made; later failures are only
   *     counted ({@link #connectFailures}): a flooded server may leave some unanswered
   */
  static SlowClients open(InetSocketAddress server, int count) throws IOException {
    SlowClients clients = new SlowClients(server);
    clients.connections.add(clients.connect());
    for (int i = 1; i < count; i++) {
      clients.tryConnect();
    }
    return clients;
  }

  private void tryConnect() {
    try {
      connections.add(connect());
    } catch (IOException e) {
      connectFailures++;
    }
  }

  private Slow connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(server, CONNECT_TIMEOUT_MILLIS);
    Slow slow = new Slow(socket);
    slow.trickle();
    return slow;
  }

  /** Connections made (open or since closed by the server). */
  int size() {
    return connections.size();
  }

  /** Connections that could not be made (connect refused or timed out). */
  int connectFailures() {
    return connectFailures;
  }

  /** Sends the next byte on every connection the server has not closed yet. */
  void trickle() {
    for (Slow connection : connections) {
      connection.trickle();
    }
  }

  /**
   * Reads what the server sent each connection, waiting at most {@code readTimeoutMillis} on a
   * connection that sent nothing, and counts the outcomes.
   */
  Map<Outcome, Integer> outcomes(int readTimeoutMillis) {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, 0);
    }
    for (Slow connection : connections) {
      counts.merge(connection.outcome(readTimeoutMillis), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Replaces connections the server closed with new ones, at most {@code max} of them, as a flood
   * that keeps up its pressure does; returns the outcomes of those it replaced.
   */
  Map<Outcome, Integer> reopenClosed(int max) {
    Map<Outcome, Integer> ended = new EnumMap<>(Outcome.class);
    int reopened = 0;
    for (int i = 0; i < connections.size() && reopened < max; i++) {
      Slow connection = connections.get(i);
      Outcome outcome = connection.endedAlready();
      if (outcome != Outcome.OPEN) {
        ended.merge(outcome, 1, Integer::sum);
        connection.close();
        reopened++;
        try {
          connections.set(i, connect());
        } catch (IOException e) {
          connectFailures++;
          connections.set(i, Slow.failed());
        }
      }
    }
    return ended;
  }

  @Override
  public void close() {
    connections.forEach(Slow::close);
    connections.clear();
  }

  /** One slow connection. */
  private static final class Slow {

    private final Socket socket;
    private int sent;
    private boolean writeFailed;

    Slow(Socket socket) {
      this.socket = socket;
    }

    /** A connection that could not be made: closed from the start, replaced at the next round. */
    static Slow failed() {
      Slow slow = new Slow(new Socket());
      slow.writeFailed = true;
      return slow;
    }

    void trickle() {
      if (writeFailed || socket.isClosed()) {
        return;
      }
      try {
        socket.getOutputStream().write(HEAD[sent % HEAD.length]);
        sent++;
      } catch (IOException e) {
        writeFailed = true; // the server closed it; what it said is read later
      }
    }

    /** The outcome without waiting: OPEN unless the server already answered or closed. */
    Outcome endedAlready() {
      try {
        if (!writeFailed && socket.getInputStream().available() == 0) {
          return Outcome.OPEN;
        }
      } catch (IOException e) {
        return Outcome.CLOSED;
      }
      return outcome(100);
    }

    Outcome outcome(int readTimeoutMillis) {
      byte[] answer;
      try {
        socket.setSoTimeout(readTimeoutMillis);
        answer = readUntilClosed(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        return Outcome.OPEN;
      } catch (IOException e) {
        return Outcome.CLOSED;
      }
      String text = new String(answer, StandardCharsets.US_ASCII);
      if (text.startsWith("HTTP/1.1 503") && text.contains("\"too_many_connections\"")) {
        return Outcome.REFUSED;
      }
      if (text.startsWith("HTTP/1.1 408") && text.contains("\"request_timeout\"")) {
        return Outcome.TIMED_OUT;
      }
      return Outcome.CLOSED;
    }

    /** Everything until the server closes; what came before a reset, if it resets. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          bytes.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException reset) {
        if (bytes.size() == 0) {
          throw reset;
        }
      }
      return bytes.toByteArray();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a client socket in a test: nothing to do about a failure.
      }
    }
  }
}
