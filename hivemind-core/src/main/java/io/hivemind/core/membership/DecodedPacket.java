package io.hivemind.core.membership;

import java.util.List;
import java.util.Objects;

/**
 * A received gossip packet after {@link WireCodec#decodePacket}: its header passed (version,
 * cluster, environment, sender name) and every message in {@link #messages} passed its field rules.
 *
 * <p>Messages that did not are already gone; the receiver counts {@link #invalidMessages} as {@link
 * DropReason#INVALID}. Two cases, as version 1 always handled them: a message of no kind this
 * version knows (empty, or a later version's) is skipped and the rest are kept; a message that
 * breaks a field rule ends the packet, because the rest of a packet that carries a corrupt or
 * forged message is not trusted either. Then {@link #cutShort} is true, and the receiver also does
 * nothing on the sender's account (no undead notice, no repair exchange).
 *
 * @param sender the sending node's name, 1..128 bytes
 * @param messages the messages to handle, in packet order
 * @param invalidMessages messages dropped, to count as INVALID
 * @param cutShort whether a message broke a field rule and ended the packet
 */
record DecodedPacket(
    String sender, List<GossipMessage> messages, int invalidMessages, boolean cutShort) {

  /**
   * Takes {@code messages} as given, not copied (one copy less per packet received): callers pass
   * an immutable list, or as the codec does a read-only view of a list nobody else holds.
   */
  DecodedPacket {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(messages, "messages");
  }
}
