package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.agent.AgentSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The settings {@code hivemind dev} gives its nodes. The control role comes with hivemind-control,
 * which this module's tests may not have: the cases name the known roles themselves.
 */
class DevCommandTest {

  private static final List<String> WITH_CONTROL = List.of("catalog", "control", "dns", "host");
  private static final List<String> WITHOUT_CONTROL = List.of("catalog", "dns", "host");
  private static final Path ROOT = Path.of("/data/dev");

  private final IntSupplier ports =
      new IntSupplier() {
        private int next = 20_000;

        @Override
        public int getAsInt() {
          return next++;
        }
      };

  @Test
  void oneNode_aOneVoterGroupOnTheWellKnownPorts() {
    List<AgentSettings> nodes = DevCommand.settings(1, ROOT, ports, WITH_CONTROL);

    AgentSettings only = nodes.get(0);
    assertThat(only.roles()).containsExactlyElementsOf(WITH_CONTROL);
    assertThat(only.control().bootstrapExpect()).isEqualTo(1);
    assertThat(only.control().controlBind()).isEqualTo("127.0.0.1"); // its well-known port
    assertThat(only.control().controlGatewayBind()).isEqualTo("127.0.0.1");
    assertThat(only.control().dataDir()).isEqualTo("/data/dev/dev-1");
  }

  @Test
  void threeNodes_threeVotersOnDistinctPortsAndDirectories() {
    List<AgentSettings> nodes = DevCommand.settings(3, ROOT, ports, WITH_CONTROL);

    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.roles()).contains("control");
              assertThat(n.control().bootstrapExpect()).isEqualTo(3);
            });
    assertThat(nodes)
        .extracting(n -> n.control().controlBind())
        .containsExactly("127.0.0.1", "127.0.0.1:20000", "127.0.0.1:20002");
    assertThat(nodes)
        .extracting(n -> n.control().controlGatewayBind())
        .containsExactly("127.0.0.1", "127.0.0.1:20001", "127.0.0.1:20003");
    assertThat(nodes)
        .extracting(n -> n.control().dataDir())
        .containsExactly("/data/dev/dev-1", "/data/dev/dev-2", "/data/dev/dev-3");
  }

  @Test
  void fiveNodes_threeVotersAndTwoPlainAgents() {
    List<AgentSettings> nodes = DevCommand.settings(5, ROOT, ports, WITH_CONTROL);

    assertThat(nodes.subList(3, 5))
        .allSatisfy(
            n -> {
              assertThat(n.roles()).containsExactlyElementsOf(WITHOUT_CONTROL);
              assertThat(n.control().bootstrapExpect()).isNull();
              assertThat(n.control().controlBind()).isNull();
            });
    assertThat(nodes.get(4).control().dataDir()).isEqualTo("/data/dev/dev-5");
  }

  @Test
  void twoNodes_oneVoter_neverTwoGroups() {
    List<AgentSettings> nodes = DevCommand.settings(2, ROOT, ports, WITH_CONTROL);

    assertThat(nodes.get(0).control().bootstrapExpect()).isEqualTo(1);
    assertThat(nodes.get(1).roles()).doesNotContain("control");
    assertThat(nodes.get(1).control().bootstrapExpect()).isNull();
  }

  @Test
  void withoutTheControlRole_noVoters() {
    List<AgentSettings> nodes = DevCommand.settings(3, ROOT, ports, WITHOUT_CONTROL);

    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.roles()).containsExactlyElementsOf(WITHOUT_CONTROL);
              assertThat(n.control().bootstrapExpect()).isNull();
            });
    assertThat(ports.getAsInt()).as("no port was taken").isEqualTo(20_000);
  }
}
