package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.transport.ConnectFailure.Kind;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** A connect's failure, told apart by the socket exception Netty completes the connect with. */
class ConnectFailureTest {

  @Test
  void refused() {
    ConnectFailure failure =
        ConnectFailure.of(new ConnectException("Connection refused: /127.0.0.1:9"));

    assertThat(failure)
        .isEqualTo(new ConnectFailure(Kind.REFUSED, "Connection refused: /127.0.0.1:9"));
  }

  @Test
  void nettysConnectTimeout_isATimeout_thoughItIsAConnectException() {
    assertThat(
            ConnectFailure.of(
                    new ConnectTimeoutException(
                        "connection timed out after 5000 ms: /10.0.0.1:7360"))
                .kind())
        .isEqualTo(Kind.TIMED_OUT);
  }

  @Test
  void noRouteOrNetworkUnreachable_isUnreachable() {
    assertThat(ConnectFailure.of(new NoRouteToHostException("No route to host")).kind())
        .isEqualTo(Kind.UNREACHABLE);
    assertThat(ConnectFailure.of(new SocketException("Network is unreachable")).kind())
        .isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void anythingElse_isOther_withTheSocketsWords() {
    assertThat(ConnectFailure.of(new IOException()))
        .isEqualTo(new ConnectFailure(Kind.OTHER, "java.io.IOException"));
  }
}
