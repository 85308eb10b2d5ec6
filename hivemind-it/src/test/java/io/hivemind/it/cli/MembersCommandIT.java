package io.hivemind.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MembersCommandIT {

  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void members_alignedTableSortedByName() {
    int code = cli.runAgainstApi("members");

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString().lines())
        .containsExactly(
            "Node    Address        Status   Roles            Zone    Incarnation",
            "node-1  10.0.0.1:7360  alive    catalog,control  zone-a  3",
            "node-2  10.0.0.2:7360  suspect  -                -       1",
            "node-3  10.0.0.3:7360  dead     -                -       1",
            "node-4  10.0.0.4:7360  left     -                -       1");
    assertThat(cli.err.toString()).isEmpty();
  }

  @Test
  void members_status_onlyThatState() {
    int code = cli.runAgainstApi("members", "--status", "DEAD");

    assertThat(code).isZero();
    assertThat(cli.out.toString().lines()).hasSize(2).last().asString().startsWith("node-3 ");
  }

  @Test
  void members_json_theApiArray() throws Exception {
    int code = cli.runAgainstApi("members", "--json");

    assertThat(code).isZero();
    JsonNode members = new ObjectMapper().readTree(cli.out.toString());
    assertThat(members.isArray()).isTrue();
    assertThat(members.findValuesAsText("Name"))
        .containsExactly("node-1", "node-2", "node-3", "node-4");
    assertThat(members.get(0).get("Status").asInt()).isEqualTo(1);
    assertThat(members.get(0).get("Tags").get("dc").asText()).isEqualTo("main");
    assertThat(members.get(2).get("State").asText()).isEqualTo("dead");
  }

  @Test
  void members_unknownStatus_usageErrorNamingTheValue() {
    int code = cli.runAgainstApi("members", "--status", "zombie");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("hivemind: ")
        .contains("unknown state 'zombie': use alive, suspect, dead or left")
        .doesNotContain("Exception");
  }

  @Test
  void members_noAgent_oneSentenceAndExit1() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    int code = cli.run("members", "--http-addr", "127.0.0.1:" + port);

    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString())
        .isEqualTo(
            "hivemind: no agent at http://127.0.0.1:"
                + port
                + ": connection refused (is an agent running? --http-addr picks another)"
                + System.lineSeparator());
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void members_httpUrlForm_accepted() {
    int code = cli.run("members", "--http-addr", "http://" + cli.httpAddr() + "/");

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("node-1");
  }

  @Test
  void members_malformedHttpAddr_usageError() {
    int code = cli.run("members", "--http-addr", "127.0.0.1:notaport");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith(
            "hivemind: '127.0.0.1:notaport' is not an agent address: use host:port or"
                + " http://host:port")
        .doesNotContain("Exception");
  }
}
