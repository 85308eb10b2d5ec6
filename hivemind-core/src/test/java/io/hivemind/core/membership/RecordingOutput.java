package io.hivemind.core.membership;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.StreamFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link MembershipOutput} that records everything a node produces, decoded for assertions. */
final class RecordingOutput implements MembershipOutput {

  /** One datagram the node sent. */
  record SentPacket(Address to, byte[] bytes, Packet decoded) {
    List<Message> messages() {
      return decoded.getMessagesList();
    }

    boolean has(Message.BodyCase body) {
      return messages().stream().anyMatch(m -> m.getBodyCase() == body);
    }

    List<Message> all(Message.BodyCase body) {
      return messages().stream().filter(m -> m.getBodyCase() == body).toList();
    }
  }

  /** One stream the node opened. */
  record OpenedStream(Address to, long streamId, StreamFrame request) {}

  final List<SentPacket> packets = new ArrayList<>();
  final List<OpenedStream> streams = new ArrayList<>();
  final List<MembershipEvent> events = new ArrayList<>();

  @Override
  public void sendPacket(Address to, byte[] packet) {
    try {
      packets.add(new SentPacket(to, packet.clone(), Packet.parseFrom(packet)));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("node sent an undecodable packet", e);
    }
  }

  @Override
  public void openStream(Address to, long streamId, byte[] request) {
    try {
      streams.add(new OpenedStream(to, streamId, StreamFrame.parseFrom(request)));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("node sent an undecodable stream request", e);
    }
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

  List<SentPacket> packetsWith(Message.BodyCase body) {
    return packets.stream().filter(p -> p.has(body)).toList();
  }

  /** Every message of every packet sent, in order. */
  List<Message> messages(Predicate<Message> filter) {
    return packets.stream().flatMap(p -> p.messages().stream()).filter(filter).toList();
  }

  void clear() {
    packets.clear();
    streams.clear();
    events.clear();
  }
}
