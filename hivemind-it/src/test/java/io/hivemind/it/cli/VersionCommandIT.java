package io.hivemind.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VersionCommandIT {

  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void version_commandClientAndAgent() {
    int code = cli.runAgainstApi("version");

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString().lines())
        .containsExactly(
            "hivemind " + HivemindCommand.version(),
            "client   " + HivemindClient.version(),
            "agent    9.9.9 (node-1 at http://" + cli.httpAddr() + ")");
  }

  @Test
  void version_noAgent_stillExit0AndSaysWhy() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    int code = cli.run("version", "--http-addr", "127.0.0.1:" + port);

    assertThat(code).isZero();
    assertThat(cli.out.toString().lines())
        .last()
        .isEqualTo(
            "agent    unknown: no agent at http://127.0.0.1:" + port + ": connection refused");
  }
}
