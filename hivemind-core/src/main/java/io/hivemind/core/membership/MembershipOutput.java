package io.hivemind.core.membership;

/**
 * Where a {@link MembershipNode} puts what it produces. The driver implements it: the Netty driver
 * writes to sockets, the simulator to its virtual network. Calls arrive on the node's owning
 * thread, from inside a call into the node, so an implementation must queue rather than call back
 * in.
 */
public interface MembershipOutput {

  /** Sends one datagram; it may be lost, and the core expects that. */
  void sendPacket(Address to, byte[] packet);

  /**
   * Opens a stream to {@code to}, sends {@code request} and reads one response. The driver reports
   * the outcome with {@link MembershipNode#onStreamResponse} or {@link
   * MembershipNode#onStreamFailure} carrying the same {@code streamId}; the core also times the
   * stream out by itself.
   */
  void openStream(Address to, long streamId, byte[] request);

  /** A change in the node's view of the cluster. */
  void onEvent(MembershipEvent event);
}
