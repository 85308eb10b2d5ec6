package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;
  private CertificateAuthority ca;
  private TlsFiles files;

  @BeforeEach
  void setUp() throws Exception {
    ca = CertificateAuthority.create("prod", Duration.ofDays(100), NOW);
    CertificateFiles.writeCa(ca, dir, false);
    issueInto(dir, "node-1", ca);
    files = TlsFiles.inDirectory(dir, "node-1");
  }

  @Test
  void load_matchingFiles_readsAll() {
    TlsMaterial material = TlsMaterial.load(files, NOW);

    assertThat(material.caCertificates()).containsExactly(ca.certificate());
    assertThat(material.certificate().getSubjectX500Principal().getName()).contains("CN=node-1");
    assertThat(Keys.matches(material.key(), material.certificate().getPublicKey())).isTrue();
  }

  @Test
  void toString_leavesTheKeyOut() {
    TlsMaterial material = TlsMaterial.load(files, NOW);

    assertThat(material.toString())
        .contains("CN=node-1")
        .doesNotContain(material.key().toString())
        .doesNotContainIgnoringCase("private");
  }

  @Test
  void load_certificateFromAnotherCa_namesBothFiles() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    issueInto(other, "node-1", CertificateAuthority.create("prod", Duration.ofDays(9), NOW));
    TlsFiles mixed =
        TlsFiles.of(
            files.caCert(), TlsFiles.certFile(other, "node-1"), TlsFiles.keyFile(other, "node-1"));

    assertThatThrownBy(() -> TlsMaterial.load(mixed, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageStartingWith(
            "The TLS certificate file "
                + mixed.cert()
                + " is not signed by the cluster CA in "
                + files.caCert());
  }

  @Test
  void load_keyOfAnotherCertificate_namesTheKeyFile() throws Exception {
    issueInto(dir, "node-2", ca);
    TlsFiles wrongKey = TlsFiles.of(files.caCert(), files.cert(), TlsFiles.keyFile(dir, "node-2"));

    assertThatThrownBy(() -> TlsMaterial.load(wrongKey, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessage(
            "The TLS private key file "
                + wrongKey.key()
                + " is not the key of the certificate in "
                + files.cert()
                + ".");
  }

  @Test
  void load_nodeCertificateAsCa_refused() {
    TlsFiles swapped = TlsFiles.of(files.cert(), files.cert(), files.key());

    assertThatThrownBy(() -> TlsMaterial.load(swapped, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(files.cert() + " holds a certificate that is not a CA's");
  }

  @Test
  void load_afterTheCertificateExpired_saysWhen() {
    Instant later = NOW.plus(Duration.ofDays(31));
    assertThatThrownBy(() -> TlsMaterial.load(files, later))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(files.cert().toString())
        .hasMessageContaining("expired on " + NOW.plus(Duration.ofDays(30)));
  }

  @Test
  void load_beforeTheCertificateIsValid_asksAboutTheClock() {
    Instant earlier = NOW.minus(Duration.ofDays(1));
    assertThatThrownBy(() -> TlsMaterial.load(files, earlier))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("clock");
  }

  @Test
  void load_keyFileWithACertificate_namesTheKeyFile() {
    TlsFiles certAsKey = TlsFiles.of(files.caCert(), files.cert(), files.cert());

    assertThatThrownBy(() -> TlsMaterial.load(certAsKey, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageStartingWith("The TLS private key file " + files.cert());
  }

  @Test
  void load_caFileWithTheOldAndTheNewCa_acceptsCertificatesOfEither() throws Exception {
    CertificateAuthority next = CertificateAuthority.create("prod", Duration.ofDays(200), NOW);
    Path rotation = Files.createDirectory(dir.resolve("rotation"));
    Files.writeString(
        rotation.resolve("ca.pem"),
        PemFiles.encode(ca.certificate()) + PemFiles.encode(next.certificate()));
    issueInto(rotation, "new-node", next);
    Files.copy(files.cert(), rotation.resolve("node-1.pem"));
    Files.copy(files.key(), rotation.resolve("node-1-key.pem"));

    assertThat(TlsMaterial.load(TlsFiles.inDirectory(rotation, "node-1"), NOW).caCertificates())
        .containsExactly(ca.certificate(), next.certificate());
    assertThat(TlsMaterial.load(TlsFiles.inDirectory(rotation, "new-node"), NOW).certificate())
        .isNotNull();
  }

  @Test
  void load_expiredCaInTheFile_refusedNamingIt() throws Exception {
    CertificateAuthority old = CertificateAuthority.create("old", Duration.ofDays(1), NOW);
    Files.writeString(
        files.caCert(), PemFiles.encode(ca.certificate()) + PemFiles.encode(old.certificate()));
    Instant later = NOW.plus(Duration.ofDays(2));

    assertThatThrownBy(() -> TlsMaterial.load(files, later))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(files.caCert() + " (CN=Hivemind CA old, O=Hivemind) expired on");
  }

  static void issueInto(Path dir, String name, CertificateAuthority ca) throws Exception {
    NodeCertificate node =
        ca.issue(NodeCertificateRequest.withDefaults(name, Duration.ofDays(30)), NOW);
    CertificateFiles.writeNode(node, name, dir, false);
  }
}
