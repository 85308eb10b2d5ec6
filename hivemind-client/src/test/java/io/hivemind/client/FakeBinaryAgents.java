package io.hivemind.client;

import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientHello;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateClientWelcome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Agents' state client ports without sockets, for the routing tests: a dial of an address with a
 * handler gets in-memory pipes and a daemon thread that welcomes the hello (or answers {@code
 * first}, a refusal) and answers each request with the handler's reply (the handler the address has
 * now); a null reply, or no handler, hangs up. An address without a handler refuses the connection.
 */
final class FakeBinaryAgents implements StateConnections.Dialer {

  final List<String> dials = new CopyOnWriteArrayList<>();
  final List<StateClientHello> hellos = new CopyOnWriteArrayList<>();
  final List<StateClientRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Function<StateClientRequest, StateClientReply.Builder>> agents =
      new ConcurrentHashMap<>();
  private final Map<String, StateClientFrame> firstAnswers = new ConcurrentHashMap<>();

  void answer(String hostPort, Function<StateClientRequest, StateClientReply.Builder> handler) {
    agents.put(hostPort, handler);
  }

  /** The address refuses connections; its open connection hangs up at its next request. */
  void down(String hostPort) {
    agents.remove(hostPort);
  }

  /** The agent answers the hello with {@code frame} (a refusal) instead of a welcome. */
  void answerHelloWith(String hostPort, StateClientFrame frame) {
    firstAnswers.put(hostPort, frame);
  }

  @Override
  public StateConnection.Channel dial(InetSocketAddress address) throws IOException {
    String key = address.getHostString() + ":" + address.getPort();
    dials.add(key);
    Function<StateClientRequest, StateClientReply.Builder> handler = agents.get(key);
    if (handler == null) {
      throw new ConnectException("connection refused: " + key);
    }
    PipeChannel channel = new PipeChannel();
    Thread agent = new Thread(() -> serve(key, channel), "fake-agent-" + key);
    agent.setDaemon(true);
    agent.start();
    return channel;
  }

  private void serve(String key, PipeChannel channel) {
    DataInputStream in = new DataInputStream(channel.agentIn());
    DataOutputStream out = new DataOutputStream(channel.agentOut());
    try {
      hellos.add(read(in).getHello());
      StateClientFrame first = firstAnswers.get(key);
      if (first != null) {
        write(out, first);
        return;
      }
      write(
          out,
          StateClientFrame.newBuilder()
              .setVersion(1)
              .setWelcome(
                  StateClientWelcome.newBuilder()
                      .setAgent(key)
                      .setMaxInFlight(64)
                      .setMaxFrameBytes((1 << 20) + (64 << 10)))
              .build());
      while (true) {
        StateClientRequest request = read(in).getRequest();
        requests.add(request);
        // The handler of now, not of the dial: a test changes its answers mid-connection.
        Function<StateClientRequest, StateClientReply.Builder> handler = agents.get(key);
        StateClientReply.Builder reply = handler == null ? null : handler.apply(request);
        if (reply == null) {
          return;
        }
        write(
            out,
            StateClientFrame.newBuilder()
                .setVersion(1)
                .setReply(reply.setId(request.getId()))
                .build());
      }
    } catch (IOException e) {
      // The client hung up.
    } finally {
      channel.close();
    }
  }

  private static StateClientFrame read(DataInputStream in) throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return StateClientFrame.parseFrom(frame);
  }

  private static void write(DataOutputStream out, StateClientFrame frame) throws IOException {
    byte[] bytes = frame.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }
}
