package io.hivemind.server.transport;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Why an outbound stream could not connect, told apart here, where the socket's exception types are
 * known, so that layers without Netty can say it in a sentence: a port nobody listens on refuses at
 * once, a host that is down or firewalled lets the connect time out.
 *
 * @param kind what happened
 * @param detail the socket's own words, for a log line or a sentence's tail
 */
public record ConnectFailure(Kind kind, String detail) {

  /** What happened to a connect. */
  public enum Kind {
    /** The host answered that nothing listens on the port (TCP RST). */
    REFUSED,
    /** Nothing answered within the connect timeout: host down, or packets dropped on the way. */
    TIMED_OUT,
    /** The network says there is no way to the host. */
    UNREACHABLE,
    /** Anything else. */
    OTHER
  }

  /** Classifies a connect's failure cause. */
  public static ConnectFailure of(Throwable cause) {
    String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String lower = detail.toLowerCase(Locale.ROOT);
    Kind kind;
    if (cause instanceof ConnectTimeoutException) {
      kind = Kind.TIMED_OUT; // Netty's, and a ConnectException too: test it first.
    } else if (cause instanceof NoRouteToHostException || lower.contains("unreachable")) {
      kind = Kind.UNREACHABLE;
    } else if (cause instanceof ConnectException && lower.contains("refused")) {
      kind = Kind.REFUSED;
    } else {
      kind = Kind.OTHER;
    }
    return new ConnectFailure(kind, detail);
  }
}
