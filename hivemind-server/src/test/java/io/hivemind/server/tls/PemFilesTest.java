package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void write_secret_ownerOnly() throws Exception {
    Path key = dir.resolve("k.pem");
    PemFiles.write(key, PemFiles.encode(Keys.newKeyPair().getPrivate()), true);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void write_certificate_worldReadable() throws Exception {
    Path cert = dir.resolve("c.pem");
    CertificateAuthority ca = CertificateAuthority.create("c", Duration.ofDays(1), NOW);
    PemFiles.write(cert, PemFiles.encode(ca.certificate()), false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    assertThat(PemFiles.readCertificate(cert, "certificate")).isEqualTo(ca.certificate());
  }

  @Test
  void write_leavesNoTemporaryFileBehind() throws Exception {
    PemFiles.write(dir.resolve("k.pem"), PemFiles.encode(Keys.newKeyPair().getPrivate()), true);

    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(dir.resolve("k.pem"));
    }
  }

  @Test
  void encode_privateKey_pkcs8Block() {
    String pem = PemFiles.encode(Keys.newKeyPair().getPrivate());

    assertThat(pem)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void readPrivateKey_roundTrip() throws Exception {
    KeyPair pair = Keys.newKeyPair();
    Path key = dir.resolve("k.pem");
    PemFiles.write(key, PemFiles.encode(pair.getPrivate()), true);

    PrivateKey read = PemFiles.readPrivateKey(key);

    assertThat(read.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    assertThat(Keys.matches(read, pair.getPublic())).isTrue();
  }

  @Test
  void readPrivateKey_traditionalOpenSslForm_saysHowToConvert() throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(Keys.newKeyPair()); // BEGIN EC PRIVATE KEY
    }
    Path key = Files.writeString(dir.resolve("ec.pem"), text.toString());

    assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void readPrivateKey_certificateInstead_saysSo() throws Exception {
    Path cert = dir.resolve("c.pem");
    PemFiles.write(
        cert,
        PemFiles.encode(CertificateAuthority.create("c", Duration.ofDays(1), NOW).certificate()),
        false);

    assertThatThrownBy(() -> PemFiles.readPrivateKey(cert))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(cert.toString())
        .hasMessageContaining("where a private key was expected");
  }

  @Test
  void readCertificate_keyInstead_saysSo() throws Exception {
    Path key = dir.resolve("k.pem");
    PemFiles.write(key, PemFiles.encode(Keys.newKeyPair().getPrivate()), true);

    assertThatThrownBy(() -> PemFiles.readCertificate(key, "certificate"))
        .isInstanceOf(TlsException.class)
        .hasMessage(
            "The TLS certificate file "
                + key
                + " holds a private key where a certificate was"
                + " expected.");
  }

  @Test
  void readCertificate_corruptBody_namesTheFile() throws Exception {
    Path cert =
        Files.writeString(
            dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemFiles.readCertificate(cert, "certificate"))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(cert + " holds an unreadable certificate");
  }

  @Test
  void readPrivateKey_garbage_namesTheFile() throws Exception {
    Path key = Files.writeString(dir.resolve("k.pem"), "not pem at all\n");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("no PEM private key");
  }

  @Test
  void readPrivateKey_corruptBase64_namesTheFile() throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(key.toString());
  }

  @Test
  void readCertificate_hugeFile_refusedBeforeReading() throws Exception {
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[PemFiles.MAX_FILE_BYTES + 1]);

    assertThatThrownBy(() -> PemFiles.readCertificate(big, "certificate"))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("more than a PEM file holds");
  }

  @Test
  void readCertificate_missing_saysItDoesNotExist() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> PemFiles.readCertificate(missing, "CA certificate"))
        .isInstanceOf(TlsException.class)
        .hasMessage("The TLS CA certificate file " + missing + " does not exist.");
  }
}
