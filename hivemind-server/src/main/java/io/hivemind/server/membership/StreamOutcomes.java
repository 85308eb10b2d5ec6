package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.server.membership.JoinException.Reason;
import io.hivemind.server.membership.JoinException.SeedFailure;
import io.hivemind.server.transport.ConnectFailure;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What became of the streams this node opened, as far as the transport tells. The core only learns
 * that an exchange failed; a person who asked to join wants to know why: refused, timed out, closed
 * without an answer, or answered by this very node.
 *
 * <p>This node's own requests coming back to it are recognised here too: a stream we opened whose
 * request arrives, byte for byte, at our own listener reached ourselves through an address we do
 * not know as ours (a bind address other than the advertised one, a name for this host, a NAT).
 * Such a request is not answered: a node that exchanged state with itself would believe it joined.
 *
 * <p>Owning thread: the driver's loop. Bounded: an entry lives from the stream's opening to its
 * outcome, which the transport always reports, and no more than {@link #MAX_TRACKED} are kept.
 */
final class StreamOutcomes {

  /** Far above the streams a node has open at once (joins, push-pulls, fallback probes). */
  static final int MAX_TRACKED = 1024;

  private final long streamTimeoutMillis;
  private final Map<Long, Open> open = new HashMap<>();

  private static final class Open {
    final Address to;
    final byte[] request;
    final long openedAtMillis;
    ConnectFailure connectFailure;
    boolean reachedSelf;
    boolean echoed;

    Open(Address to, byte[] request, long openedAtMillis) {
      this.to = to;
      this.request = request;
      this.openedAtMillis = openedAtMillis;
    }
  }

  /**
   * @param streamTimeout the transport's connect and read timeout (both are the core's stream
   *     timeout), which tells a seed that hung from one that closed at once
   */
  StreamOutcomes(Duration streamTimeout) {
    this.streamTimeoutMillis = streamTimeout.toMillis();
  }

  void opened(Address to, long streamId, byte[] request, long nowMillis) {
    if (open.size() < MAX_TRACKED) {
      open.put(streamId, new Open(to, request, nowMillis));
    }
  }

  /**
   * True if {@code request} is one this node sent on a stream still waiting for its answer: it has
   * reached this node itself. That stream will then fail as {@link Reason#SELF}.
   */
  boolean isOwnRequest(byte[] request) {
    for (Open stream : open.values()) {
      if (stream.request.length == request.length && Arrays.equals(stream.request, request)) {
        stream.reachedSelf = true;
        return true;
      }
    }
    return false;
  }

  void connectFailed(long streamId, ConnectFailure failure) {
    Open stream = open.get(streamId);
    if (stream != null) {
      stream.connectFailure = failure;
    }
  }

  void answered(long streamId) {
    open.remove(streamId);
  }

  /**
   * True if {@code response} is the very request of that stream: the connection reached itself (a
   * TCP self-connect, which Linux makes when this node connects to a free port of the ephemeral
   * range on its own host and picks that port as the source). Nothing listens there, so the stream
   * is to fail as {@link Reason#REFUSED}, never to be taken for an answer: it would look like a
   * join through ourselves.
   */
  boolean isEcho(long streamId, byte[] response) {
    Open stream = open.get(streamId);
    if (stream == null || !Arrays.equals(stream.request, response)) {
      return false;
    }
    stream.echoed = true;
    return true;
  }

  /**
   * The stream failed: why, as far as can be told, or null if it was not tracked.
   *
   * @param selfName this node's name, for a stream that reached it
   */
  SeedFailure failed(long streamId, long nowMillis, String selfName) {
    Open stream = open.remove(streamId);
    if (stream == null) {
      return null;
    }
    if (stream.reachedSelf) {
      return new SeedFailure(stream.to, Reason.SELF, selfName);
    }
    if (stream.echoed) {
      return new SeedFailure(stream.to, Reason.REFUSED, "the connection reached only itself");
    }
    if (stream.connectFailure != null) {
      return connectFailure(stream.to, stream.connectFailure);
    }
    // Connected, then no answer: the transport's read timeout ended it, or the seed closed the
    // stream itself, which a seed does at once when its core drops our request.
    long waited = nowMillis - stream.openedAtMillis;
    return waited * 2 >= streamTimeoutMillis
        ? new SeedFailure(stream.to, Reason.TIMED_OUT, JoinException.text(timeout()))
        : new SeedFailure(stream.to, Reason.CLOSED, "");
  }

  private SeedFailure connectFailure(Address to, ConnectFailure failure) {
    return switch (failure.kind()) {
      case REFUSED -> new SeedFailure(to, Reason.REFUSED, failure.detail());
      case TIMED_OUT -> new SeedFailure(to, Reason.TIMED_OUT, JoinException.text(timeout()));
      case UNREACHABLE, OTHER -> new SeedFailure(to, Reason.UNREACHABLE, failure.detail());
    };
  }

  private Duration timeout() {
    return Duration.ofMillis(streamTimeoutMillis);
  }
}
