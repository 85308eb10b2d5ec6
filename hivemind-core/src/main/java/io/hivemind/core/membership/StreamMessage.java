package io.hivemind.core.membership;

import java.util.List;

/**
 * The body of one stream frame (a TCP request or response), as the protocol sees it: the Java form
 * of membership.proto's {@code StreamFrame} body. A full-state exchange ({@link PushPull}), or the
 * stream fallback probe, which reuses the packet's {@link GossipMessage.Ping} and {@link
 * GossipMessage.Ack} because the wire does too.
 *
 * <p>Design note: decoded once at the edge like {@link GossipMessage} (see its note); no protobuf
 * here either.
 */
sealed interface StreamMessage
    permits GossipMessage.Ping, GossipMessage.Ack, StreamMessage.PushPull, StreamMessage.Unknown {

  /**
   * Anti-entropy: the sender's whole member table (memberlist {@code pushPull}).
   *
   * @param join marks the first exchange of a joining node
   * @param members every member that passed {@link GossipMember}'s field rules, in wire order
   * @param invalidMembers members the decoder dropped for breaking a rule; the receiver counts each
   *     as {@link DropReason#INVALID} when it merges the rest (not when it declines the exchange)
   */
  record PushPull(boolean join, List<GossipMember> members, int invalidMembers)
      implements StreamMessage {
    public PushPull {
      members = List.copyOf(members);
    }

    /** A push-pull to send: every member is ours, none was dropped. */
    PushPull(boolean join, List<GossipMember> members) {
      this(join, members, 0);
    }
  }

  /**
   * A frame without a body of a kind this version knows: empty, or a later version's kind (protobuf
   * reads an unknown oneof case as no case at all). A request of this kind is dropped as {@link
   * DropReason#INVALID}; a response of this kind simply answers nothing the node asked.
   */
  record Unknown() implements StreamMessage {
    static final Unknown INSTANCE = new Unknown();
  }
}
