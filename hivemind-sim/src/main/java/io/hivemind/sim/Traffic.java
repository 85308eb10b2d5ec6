package io.hivemind.sim;

/**
 * What the simulated network carried, counted on the exact bytes the nodes' encoders produced.
 *
 * @param packets datagrams sent
 * @param packetBytes bytes of those datagrams
 * @param packetsLost datagrams dropped by random loss
 * @param packetsUnreachable datagrams that met a partition, a crashed node or no node at all
 * @param streams streams opened, connected or not
 * @param streamBytes bytes written to connected streams, requests and responses alike (a refused or
 *     timed-out connect carries none)
 * @param streamsFailed streams that ended in a failure (refused, reset, connect timeout)
 */
public record Traffic(
    long packets,
    long packetBytes,
    long packetsLost,
    long packetsUnreachable,
    long streams,
    long streamBytes,
    long streamsFailed) {

  /** Nothing sent. */
  public static final Traffic ZERO = new Traffic(0, 0, 0, 0, 0, 0, 0);

  /** Datagram and stream bytes together. */
  public long totalBytes() {
    return packetBytes + streamBytes;
  }

  /** What was carried since {@code earlier}. */
  public Traffic minus(Traffic earlier) {
    return new Traffic(
        packets - earlier.packets,
        packetBytes - earlier.packetBytes,
        packetsLost - earlier.packetsLost,
        packetsUnreachable - earlier.packetsUnreachable,
        streams - earlier.streams,
        streamBytes - earlier.streamBytes,
        streamsFailed - earlier.streamsFailed);
  }
}
