package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@link GossipHandler} that records what arrives and answers streams with a function. Called
 * only on the test's own thread: embedded channels run their handlers there.
 */
final class RecordingHandler implements GossipHandler {

  record Received(Address from, byte[] bytes) {}

  final List<Received> packets = new ArrayList<>();
  final List<Received> streamRequests = new ArrayList<>();
  final Map<Long, byte[]> responses = new LinkedHashMap<>();
  final List<Long> failures = new ArrayList<>();
  private final UnaryOperator<byte[]> answer;

  RecordingHandler(UnaryOperator<byte[]> answer) {
    this.answer = answer;
  }

  /** A handler that answers no stream (the server closes without a response). */
  static RecordingHandler silent() {
    return new RecordingHandler(request -> null);
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
