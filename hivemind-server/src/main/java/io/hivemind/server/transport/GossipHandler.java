package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;

/**
 * What a {@link GossipTransport} delivers: opened (decrypted) packets and stream frames, and the
 * outcome of the streams it was asked to open.
 *
 * <p>Every method is called on the transport's event loop, and never from inside {@link
 * GossipTransport#sendPacket} or {@link GossipTransport#openStream}, so an implementation may call
 * back into the transport and into a state machine that is not re-entrant.
 */
public interface GossipHandler {

  /** One datagram from {@code from} (its source address). */
  void onPacket(Address from, byte[] packet);

  /**
   * One stream request from {@code from} (the connection's remote address).
   *
   * @return the response to write back, or null to close the stream without one
   */
  byte[] onStreamRequest(Address from, byte[] request);

  /** The response to the stream opened with {@code streamId}. */
  void onStreamResponse(long streamId, byte[] response);

  /** The stream opened with {@code streamId} ended without a usable response. */
  void onStreamFailure(long streamId);

  /**
   * The stream opened with {@code streamId} could not even connect, for the reason given; {@link
   * #onStreamFailure} follows at once for it. A handler that tells people why a peer is out of
   * reach (a join through a port nobody listens on) remembers it; the default ignores it.
   */
  default void onStreamConnectFailure(long streamId, ConnectFailure failure) {}
}
