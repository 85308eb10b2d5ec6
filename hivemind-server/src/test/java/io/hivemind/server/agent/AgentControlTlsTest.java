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
 * another name is refused at start, with the command that issues the right one.
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

  private io.hivemind.server.role.NodeConfig configWithCertificateOf(
      String certified, String nodeName) throws IOException {
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("it", Duration.ofDays(1), now);
    Path tls = Files.createDirectories(dir.resolve("tls"));
    CertificateFiles.writeCa(ca, tls, false);
    CertificateFiles.writeNode(
        ca.issue(NodeCertificateRequest.withDefaults(certified, Duration.ofDays(1)), now),
        certified,
        tls,
        false);
    TlsFiles files = TlsFiles.inDirectory(tls, certified);
    AgentConfig config =
        AgentConfig.resolve(
            AgentSettingsSources.fromEnvironment(
                Map.of(
                    "HIVEMIND_TLS_CA_FILE", files.caCert().toString(),
                    "HIVEMIND_TLS_CERT_FILE", files.cert().toString(),
                    "HIVEMIND_TLS_KEY_FILE", files.key().toString())),
            nodeName,
            Files.createDirectories(dir.resolve("home")));
    return config.nodeConfig();
  }
}
