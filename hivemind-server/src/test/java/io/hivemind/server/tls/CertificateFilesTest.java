package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;

  private final CertificateAuthority ca =
      CertificateAuthority.create("prod", Duration.ofDays(10), NOW);

  @Test
  void writeCa_thenReadCa_sameCa() throws Exception {
    assertThat(CertificateFiles.writeCa(ca, dir, false))
        .containsExactly(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"));

    CertificateAuthority read = CertificateFiles.readCa(dir);

    assertThat(read.certificate()).isEqualTo(ca.certificate());
    assertThat(read.privateKey().getEncoded()).isEqualTo(ca.privateKey().getEncoded());
  }

  @Test
  void writeCa_existingKeyOnly_refusedAndNothingWritten() throws Exception {
    Files.writeString(dir.resolve("ca-key.pem"), "old");

    assertThatThrownBy(() -> CertificateFiles.writeCa(ca, dir, false))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("Refusing to overwrite " + dir.resolve("ca-key.pem"));
    assertThat(dir.resolve("ca.pem")).doesNotExist();
    assertThat(dir.resolve("ca-key.pem")).hasContent("old");
  }

  @Test
  void writeCa_force_replaces() throws Exception {
    CertificateFiles.writeCa(
        CertificateAuthority.create("old", Duration.ofDays(1), NOW), dir, false);

    CertificateFiles.writeCa(ca, dir, true);

    assertThat(CertificateFiles.readCa(dir).certificate()).isEqualTo(ca.certificate());
  }

  @Test
  void readCa_emptyDirectory_saysHowToCreateOne() {
    assertThatThrownBy(() -> CertificateFiles.readCa(dir))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("No cluster CA in " + dir)
        .hasMessageContaining("hivemind tls ca create");
  }

  @Test
  void readCa_keyOfAnotherCa_namesTheKeyFile() throws Exception {
    CertificateFiles.writeCa(ca, dir, false);
    PemFiles.write(
        dir.resolve("ca-key.pem"),
        PemFiles.encode(CertificateAuthority.create("x", Duration.ofDays(1), NOW).privateKey()),
        true);

    assertThatThrownBy(() -> CertificateFiles.readCa(dir))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(dir.resolve("ca-key.pem") + " is not the key of the CA certificate");
  }

  @Test
  void writeNode_createsTheDirectory() throws Exception {
    Path out = dir.resolve("a/b");
    NodeCertificate node =
        ca.issue(NodeCertificateRequest.withDefaults("n1", Duration.ofDays(1)), NOW);

    assertThat(CertificateFiles.writeNode(node, "n1", out, false))
        .containsExactly(out.resolve("n1.pem"), out.resolve("n1-key.pem"));
    assertThat(PemFiles.readCertificate(out.resolve("n1.pem"), "certificate"))
        .isEqualTo(node.certificate());
  }
}
