package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.server.tls.CertificateFiles;
import io.hivemind.server.tls.NodeCertificateRequest;
import io.hivemind.server.tls.TlsException;
import io.hivemind.server.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's certificate must name the agent (docs/security.md, "Identity"): control nodes accept
 * from a connection only what concerns the node its certificate names, so a certificate issued for
 * another name is refused at start, with the command that issues the right one; so is a control
 * node's certificate made without {@code --control}, which its Raft peers would refuse.
 */
class AgentControlTlsTest {

  @TempDir Path dir;

  @Test
  void certificateOfItsOwnName_accepted() throws IOException {
    AgentControl control = new AgentControl(configWithCertificateOf("node-1", "node-1"));

    assertThat(control.tls()).isNotNull();
  }

  @Test
  void certificateOfAnotherNode_refusedAtStartNamingBothAndTheFix() throws IOException {
    assertThatThrownBy(() -> new AgentControl(configWithCertificateOf("node-2", "node-1")))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("names node 'node-2', but this node is 'node-1'")
        .hasMessageContaining("hivemind tls cert create --name node-1");
  }

  @Test
  void controlNode_withAPlainCertificate_refusedAtStartWithTheFix() throws IOException {
    assertThatThrownBy(() -> new AgentControl(config("c1", "c1", false, "control")))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("is not a control node's certificate (no OU=control)")
        .hasMessageContaining("hivemind tls cert create --name c1 --control");
  }

  @Test
  void controlNode_withAControlCertificate_accepted_andAPlainAgentMayHoldOneToo()
      throws IOException {
    assertThat(new AgentControl(config("c1", "c1", true, "control")).tls()).isNotNull();
    assertThat(new AgentControl(config("p1", "p1", true, "catalog")).tls()).isNotNull();
  }

  private io.hivemind.server.role.NodeConfig configWithCertificateOf(
      String certified, String nodeName) throws IOException {
    return config(certified, nodeName, false, "catalog");
  }

  private io.hivemind.server.role.NodeConfig config(
      String certified, String nodeName, boolean controlCertificate, String roles)
      throws IOException {
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("it", Duration.ofDays(1), now);
    Path tls = Files.createDirectories(dir.resolve("tls-" + nodeName + "-" + controlCertificate));
    CertificateFiles.writeCa(ca, tls, false);
    NodeCertificateRequest request =
        NodeCertificateRequest.withDefaults(certified, Duration.ofDays(1));
    CertificateFiles.writeNode(
        ca.issue(controlCertificate ? request.forControl() : request, now), certified, tls, false);
    TlsFiles files = TlsFiles.inDirectory(tls, certified);
    AgentConfig config =
        AgentConfig.resolve(
            AgentSettingsSources.fromEnvironment(
                Map.of(
                    "HIVEMIND_TLS_CA_FILE", files.caCert().toString(),
                    "HIVEMIND_TLS_CERT_FILE", files.cert().toString(),
                    "HIVEMIND_TLS_KEY_FILE", files.key().toString(),
                    "HIVEMIND_ROLES", roles)),
            nodeName,
            Files.createDirectories(dir.resolve("home-" + nodeName + "-" + controlCertificate)));
    return config.nodeConfig();
  }
}
