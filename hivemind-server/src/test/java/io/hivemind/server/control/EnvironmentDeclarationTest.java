package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake's environment, added on the way out; the gateway's refusal passed on. */
class EnvironmentDeclarationTest {

  private static final Address GATEWAY = new Address("127.0.0.1", 7304);

  private final List<GatewayMessage> sent = new ArrayList<>();
  private final List<GatewayMessage> heard = new ArrayList<>();
  private GatewayConnection.Listener transport;

  private final GatewayConnector sockets =
      new GatewayConnector() {
        @Override
        public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
          transport = listener;
          return new GatewayConnection() {
            @Override
            public void send(GatewayMessage message) {
              sent.add(message);
            }

            @Override
            public void close() {}
          };
        }

        @Override
        public void close() {}
      };

  private final GatewayConnection.Listener follower =
      new GatewayConnection.Listener() {
        @Override
        public void onOpen() {}

        @Override
        public void onMessage(GatewayMessage message) {
          heard.add(message);
        }

        @Override
        public void onClosed(String reason) {}
      };

  @Test
  void handshake_declaresTheEnvironment_otherMessagesPassAsTheyAre() {
    GatewayConnection connection =
        new EnvironmentDeclaration(sockets, "staging").connect(GATEWAY, follower);
    connection.send(new GatewayMessage.Follow(4, "node-a"));
    connection.send(new GatewayMessage.MeshPeer("control-2"));
    connection.send(new GatewayMessage.ReadIndex(9));
    assertThat(sent)
        .containsExactly(
            new GatewayMessage.Follow(4, "node-a", "staging"),
            new GatewayMessage.MeshPeer("control-2", "staging"),
            new GatewayMessage.ReadIndex(9));
  }

  @Test
  void refusal_reachesTheFollowerToo() {
    new EnvironmentDeclaration(sockets, "staging").connect(GATEWAY, follower);
    GatewayMessage refusal =
        new GatewayMessage.Failure(0, GatewayError.WRONG_ENVIRONMENT, "serves 'production'");
    transport.onMessage(refusal);
    assertThat(heard).containsExactly(refusal);
  }

  @Test
  void blankEnvironment_isRefused() {
    assertThatThrownBy(() -> new EnvironmentDeclaration(sockets, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment must be named");
  }

  @Test
  void wrongEnvironmentFailure_mapsToAnExceptionCarryingTheGatewaysSentence() {
    // The refusal carries request id 0, which PendingRequests never hands out (ids start at 1), so
    // the follower fails no request with it; the mapping must still cover the code.
    RuntimeException cause =
        GatewayFailures.exception(
            new GatewayMessage.Failure(0, GatewayError.WRONG_ENVIRONMENT, "serves 'production'"));
    assertThat(cause).hasMessageContaining("serves 'production'");
  }
}
