package io.hivemind.core.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link MembershipOutput} that records everything a node produces, decoded for assertions by a
 * peer of the same cluster, the way a receiver would. Anything the decoder would refuse fails the
 * test: a node only ever sends what its peers accept.
 */
final class RecordingOutput implements MembershipOutput {

  private static final FakePeer OBSERVER = new FakePeer("observer", new Address("192.0.2.250", 1));

  /** One datagram the node sent. */
  record SentPacket(Address to, byte[] bytes, DecodedPacket decoded) {
    List<GossipMessage> messages() {
      return decoded.messages();
    }

    boolean has(Class<? extends GossipMessage> kind) {
      return messages().stream().anyMatch(kind::isInstance);
    }

    <T extends GossipMessage> List<T> all(Class<T> kind) {
      return messages().stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /** One stream the node opened. */
  record OpenedStream(Address to, long streamId, DecodedFrame request) {
    StreamMessage.PushPull pushPull() {
      return body(StreamMessage.PushPull.class);
    }

    GossipMessage.Ping ping() {
      return body(GossipMessage.Ping.class);
    }

    /** The request's body as {@code kind}; an assertion failure (not a cast error) if it is not. */
    private <T extends StreamMessage> T body(Class<T> kind) {
      if (!kind.isInstance(request.body())) {
        throw new AssertionError("stream " + streamId + " carries " + request.body());
      }
      return kind.cast(request.body());
    }
  }

  final List<SentPacket> packets = new ArrayList<>();
  final List<OpenedStream> streams = new ArrayList<>();
  final List<MembershipEvent> events = new ArrayList<>();

  @Override
  public void sendPacket(Address to, byte[] packet) {
    DecodedPacket decoded;
    try {
      decoded = OBSERVER.codec.decodePacket(packet);
    } catch (WireException e) {
      throw new AssertionError("node sent an undecodable packet: " + e.getMessage(), e);
    }
    if (decoded.invalidMessages() > 0) {
      throw new AssertionError("node sent a packet with invalid messages: " + decoded);
    }
    packets.add(new SentPacket(to, packet.clone(), decoded));
  }

  @Override
  public void openStream(Address to, long streamId, byte[] request) {
    DecodedFrame frame = OBSERVER.decodeFrame(request);
    if (frame.body() instanceof StreamMessage.PushPull state && state.invalidMembers() > 0) {
      throw new AssertionError("node sent a push-pull with invalid members: " + state);
    }
    streams.add(new OpenedStream(to, streamId, frame));
  }

  @Override
  public void onEvent(MembershipEvent event) {
    events.add(event);
  }

  List<MembershipEvent.Type> eventTypes() {
    return events.stream().map(MembershipEvent::type).toList();
  }

  List<SentPacket> packetsTo(Address to) {
    return packets.stream().filter(p -> p.to().equals(to)).toList();
  }

  List<SentPacket> packetsWith(Class<? extends GossipMessage> kind) {
    return packets.stream().filter(p -> p.has(kind)).toList();
  }

  /** Every message of {@code kind} of every packet sent, in order. */
  <T extends GossipMessage> List<T> messages(Class<T> kind) {
    return messages(kind, m -> true);
  }

  /** Every message of {@code kind} that matches {@code filter}, of every packet sent, in order. */
  <T extends GossipMessage> List<T> messages(Class<T> kind, Predicate<? super T> filter) {
    return packets.stream().flatMap(p -> p.all(kind).stream()).filter(filter).toList();
  }

  void clear() {
    packets.clear();
    streams.clear();
    events.clear();
  }
}
