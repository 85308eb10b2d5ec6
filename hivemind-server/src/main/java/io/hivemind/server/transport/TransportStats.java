package io.hivemind.server.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link GossipTransport}: what crossed the wire and what the transport dropped
 * before the membership core saw it. The core's own counters ({@code MembershipStats}) count what
 * it decoded; these count the envelope around it.
 *
 * <p>Written by the transport's event loop, read by any thread (metrics): every counter is a {@link
 * LongAdder}, so reads are never torn.
 */
public final class TransportStats {

  final LongAdder packetsReceived = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder packetsSent = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder packetSendFailures = new LongAdder();
  final LongAdder streamsAccepted = new LongAdder();
  final LongAdder streamsRejected = new LongAdder();
  final LongAdder acceptErrors = new LongAdder();
  final LongAdder streamsOpened = new LongAdder();
  final LongAdder streamFailures = new LongAdder();
  final LongAdder droppedUnauthenticated = new LongAdder();
  final LongAdder droppedOversized = new LongAdder();
  final LongAdder droppedMalformed = new LongAdder();

  /** Datagrams received, dropped ones included. */
  public long packetsReceived() {
    return packetsReceived.sum();
  }

  /** Bytes of received datagrams, as on the wire (sealed). */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  /** Datagrams written to the socket. */
  public long packetsSent() {
    return packetsSent.sum();
  }

  /** Bytes of sent datagrams, as on the wire (sealed). */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Datagrams not sent: unresolvable address, socket error, or send buffer full. */
  public long packetSendFailures() {
    return packetSendFailures.sum();
  }

  /** Inbound stream connections accepted. */
  public long streamsAccepted() {
    return streamsAccepted.sum();
  }

  /** Inbound stream connections closed at once because too many were open. */
  public long streamsRejected() {
    return streamsRejected.sum();
  }

  /**
   * Times the TCP listener failed to accept a connection, most often because the process ran out of
   * file descriptors; each pauses accepting for {@link AcceptBackoff#PAUSE}.
   */
  public long acceptErrors() {
    return acceptErrors.sum();
  }

  /** Outbound streams this node opened. */
  public long streamsOpened() {
    return streamsOpened.sum();
  }

  /** Outbound streams that ended without a response: refused, reset, timed out, unreadable. */
  public long streamFailures() {
    return streamFailures.sum();
  }

  /** Datagrams and frames that failed decryption (wrong key, tampered, not sealed). */
  public long droppedUnauthenticated() {
    return droppedUnauthenticated.sum();
  }

  /**
   * Datagrams and stream frames over the configured size limits. A stream's length prefix is read
   * unsigned, so a "negative" length counts here too.
   */
  public long droppedOversized() {
    return droppedOversized.sum();
  }

  /**
   * Stream frames cut short: the stream ended (closed or reset by the peer, or timed out) with part
   * of a frame or of its length prefix received. The transport parses nothing else: a bad length is
   * oversized, a sealed frame no key opens is unauthenticated, and a datagram or frame that opens
   * but does not parse is the core's to count ({@code DropReason.MALFORMED}).
   */
  public long droppedMalformed() {
    return droppedMalformed.sum();
  }

  @Override
  public String toString() {
    return "TransportStats{packetsReceived="
        + packetsReceived()
        + ", packetsSent="
        + packetsSent()
        + ", streamsAccepted="
        + streamsAccepted()
        + ", streamsOpened="
        + streamsOpened()
        + ", streamFailures="
        + streamFailures()
        + ", droppedUnauthenticated="
        + droppedUnauthenticated()
        + ", droppedOversized="
        + droppedOversized()
        + ", droppedMalformed="
        + droppedMalformed()
        + "}";
  }
}
