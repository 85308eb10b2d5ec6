package io.hivemind.core.membership;

import java.util.Objects;

/**
 * One message of a gossip packet (a UDP datagram), as the protocol sees it: the Java form of
 * membership.proto's {@code Message}. Docs: docs/protocol/membership.md, "Wire format".
 *
 * <p>Design note. The network's bytes are decoded once, at the edge ({@link WireCodec}), into these
 * records; protocol logic ({@link Prober}, {@link MemberUpdates}, {@link AntiEntropy}) reads and
 * writes only them and never sees protobuf. A record that came from the network has passed every
 * field rule of its kind (see each record); the constructors themselves check only for nulls, so
 * that a test can build a record that breaks a rule and watch the decoder refuse it.
 *
 * <p>Named {@code GossipMessage}, not {@code WireMessage}: only classes named {@code Wire*} may
 * touch protobuf (an ArchUnit rule), so this name keeps the records provably free of it, and {@code
 * GossipMessage.Ping} cannot be mistaken for the generated {@code io.hivemind.core.wire.proto.Ping}
 * in a codec class that uses both.
 */
sealed interface GossipMessage {

  /**
   * Direct probe (SWIM §3.1). Also a stream frame's body: the stream fallback probe.
   *
   * @param seq the prober's round; uint32 on the wire, so values from 2^31 up read negative
   * @param target the name the prober believes lives at our address; empty means whoever does. Not
   *     bounded: it is only compared with our own name.
   */
  record Ping(int seq, String target) implements GossipMessage, StreamMessage {
    public Ping {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * ping-req (SWIM §3.1): probe {@code target} at {@code targetAddress} for the sender; with {@code
   * nack}, answer Nack if it stays silent (Lifeguard §IV-A).
   *
   * <p>Field rules: target is a member name (1..128 bytes); the address is present and valid.
   */
  record IndirectPing(int seq, String target, Address targetAddress, boolean nack)
      implements GossipMessage {
    public IndirectPing {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(targetAddress, "targetAddress");
    }
  }

  /** Answer to a Ping, direct or relayed. Also a stream frame's body: the answer on a stream. */
  record Ack(int seq) implements GossipMessage, StreamMessage {}

  /** A relay's "the target stayed silent" (Lifeguard §IV-A). */
  record Nack(int seq) implements GossipMessage {}

  /**
   * A member is alive: a join, a refutation or a metadata change (SWIM §4.2). Field rules: those of
   * {@link GossipMember}.
   */
  record Alive(GossipMember member) implements GossipMessage {
    public Alive {
      Objects.requireNonNull(member, "member");
    }
  }

  /**
   * {@code from} suspects {@code name} at {@code incarnation} (SWIM §4.2). Field rules: name 1..128
   * bytes; {@code from} is not checked (as in version 1 from the start; it only counts
   * confirmations).
   */
  record Suspect(String name, long incarnation, String from) implements GossipMessage {
    public Suspect {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(from, "from");
    }
  }

  /** {@code from} declared {@code name} failed at {@code incarnation}. Field rules as Suspect. */
  record Dead(String name, long incarnation, String from) implements GossipMessage {
    public Dead {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(from, "from");
    }
  }

  /** {@code name} left gracefully at {@code incarnation}. Field rule: name 1..128 bytes. */
  record Left(String name, long incarnation) implements GossipMessage {
    public Left {
      Objects.requireNonNull(name, "name");
    }
  }
}
