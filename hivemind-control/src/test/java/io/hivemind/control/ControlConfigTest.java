package io.hivemind.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlConfigTest {

  private static final Path DATA = Path.of("/var/lib/hivemind");

  private static ControlConfig config(List<PeerAddress> peers) {
    return ControlConfig.of("n1", "127.0.0.1", 8301, DATA, "c", "testing", peers);
  }

  @Test
  void groupId_isTheSameForOneClusterAndEnvironment_andDiffersOtherwise() {
    assertThat(ControlConfig.groupIdOf("c", "testing"))
        .isEqualTo(ControlConfig.groupIdOf("c", "testing"));
    assertThat(ControlConfig.groupIdOf("c", "testing"))
        .isNotEqualTo(ControlConfig.groupIdOf("c", "staging"));
    assertThat(ControlConfig.groupIdOf("ab", "c")).isNotEqualTo(ControlConfig.groupIdOf("a", "bc"));
  }

  @Test
  void defaults_areTheNamedConstants() {
    ControlConfig config = config(List.of());

    assertThat(config.submitTimeout()).isEqualTo(ControlConfig.DEFAULT_SUBMIT_TIMEOUT);
    assertThat(config.snapshotThreshold()).isEqualTo(10_000);
    assertThat(config.tls()).isEmpty();
    assertThat(config.address()).isEqualTo("127.0.0.1:8301");
  }

  @Test
  void initialPeersWithoutThisNode_areRefused() {
    assertThatThrownBy(() -> config(List.of(new PeerAddress("n2", "127.0.0.1:1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n1");
  }

  @Test
  void badFields_areRefusedWithTheValue() {
    assertThatThrownBy(() -> ControlConfig.of("n1", "h", 0, DATA, "c", "e", List.of()))
        .hasMessageContaining("0");
    assertThatThrownBy(() -> config(List.of()).withSubmitTimeout(Duration.ZERO))
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> config(List.of()).withSnapshotThreshold(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> new PeerAddress("n1", "no-port")).hasMessageContaining("no-port");
  }

  @Test
  void withers_changeOnlyTheirField() {
    ControlTls tls = new ControlTls(Path.of("ca.pem"), Path.of("cert.pem"), Path.of("key.pem"));
    ControlConfig config = config(List.of()).withTls(tls).withSnapshotThreshold(50);

    assertThat(config.tls()).contains(tls);
    assertThat(config.snapshotThreshold()).isEqualTo(50);
    assertThat(config.nodeId()).isEqualTo("n1");
  }
}
