package io.hivemind.core.membership;

import java.util.Objects;

/**
 * A received stream frame after {@link WireCodec#decodeFrame}: its header passed (version, cluster,
 * environment, sender name) and so did its body's fields.
 *
 * @param sender the sending node's name, 1..128 bytes
 * @param body what the frame carries; {@link StreamMessage.Unknown} when no known kind
 */
record DecodedFrame(String sender, StreamMessage body) {

  DecodedFrame {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(body, "body");
  }
}
