package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A {@link GossipHandler} that records what arrives and answers streams with a function. */
final class RecordingHandler implements GossipHandler {

  record Received(Address from, byte[] bytes) {}

  final List<Received> packets = new CopyOnWriteArrayList<>();
  final List<Received> streamRequests = new CopyOnWriteArrayList<>();
  final Map<Long, byte[]> responses = new ConcurrentHashMap<>();
  final List<Long> failures = new CopyOnWriteArrayList<>();
  private final UnaryOperator<byte[]> answer;

  RecordingHandler(UnaryOperator<byte[]> answer) {
    this.answer = answer;
  }

  @Override
  public void onPacket(Address from, byte[] packet) {
    packets.add(new Received(from, packet));
  }

  @Override
  public byte[] onStreamRequest(Address from, byte[] request) {
    streamRequests.add(new Received(from, request));
    return answer.apply(request);
  }

  @Override
  public void onStreamResponse(long streamId, byte[] response) {
    responses.put(streamId, response);
  }

  @Override
  public void onStreamFailure(long streamId) {
    failures.add(streamId);
  }
}
