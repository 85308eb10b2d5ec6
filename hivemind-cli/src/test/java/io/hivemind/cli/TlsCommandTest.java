package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.tls.ControlCertificates;
import io.hivemind.server.tls.PemFiles;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.tls.TlsMaterial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCommandTest {

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private void createCa() {
    assertThat(run("tls", "ca", "create", "--dir", dir.toString(), "--cluster", "prod"))
        .as(err.toString())
        .isZero();
  }

  @Test
  void caCreate_writesCaCertificateAndOwnerOnlyKey() throws Exception {
    createCa();

    X509Certificate ca = PemFiles.readCertificate(dir.resolve("ca.pem"), "CA certificate");
    assertThat(ca.getSubjectX500Principal().getName()).contains("CN=Hivemind CA prod");
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(TlsCaCreateCommand.DEFAULT_DAYS - 1)));
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(out.toString()).contains(dir.resolve("ca.pem").toString()).contains("0600");
  }

  @Test
  void caCreate_existingFiles_refusedWithExit2UnlessForced() throws Exception {
    createCa();
    byte[] before = Files.readAllBytes(dir.resolve("ca.pem"));

    assertThat(run("tls", "ca", "create", "--dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("Refusing to overwrite").contains("--force");
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(before);

    assertThat(run("tls", "ca", "create", "--dir", dir.toString(), "--force")).isZero();
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isNotEqualTo(before);
  }

  @Test
  void caCreate_badDays_exit2() {
    assertThat(run("tls", "ca", "create", "--dir", dir.toString(), "--days", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--days must be between 1 and 36500, got 0.");
    assertThat(dir.resolve("ca.pem")).doesNotExist();
  }

  @Test
  void certCreate_defaults_filesThatLoadAsMutualTlsMaterial() throws Exception {
    createCa();
    Path nodes = dir.resolve("nodes");

    int code =
        run(
            "tls",
            "cert",
            "create",
            "--ca-dir",
            dir.toString(),
            "--name",
            "node-1",
            "--out",
            nodes.toString());

    assertThat(code).as(err.toString()).isZero();
    Files.copy(dir.resolve("ca.pem"), nodes.resolve("ca.pem"));
    TlsMaterial material = TlsMaterial.load(TlsFiles.inDirectory(nodes, "node-1"), Instant.now());
    assertThat(altNames(material.certificate()))
        .containsExactlyInAnyOrder("node-1", "localhost", "127.0.0.1");
    assertThat(material.certificate().getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(nodes.resolve("node-1-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(out.toString()).contains("DNS node-1, DNS localhost, IP 127.0.0.1");
    assertThat(ControlCertificates.isControl(material.certificate())).isFalse();
  }

  @Test
  void certCreate_control_marksTheCertificateForTheControlPlane() throws Exception {
    createCa();

    String ca = dir.toString();
    int code =
        run("tls", "cert", "create", "--ca-dir", ca, "--name", "c1", "--out", ca, "--control");

    assertThat(code).as(err.toString()).isZero();
    X509Certificate cert = PemFiles.readCertificate(dir.resolve("c1.pem"), "certificate");
    assertThat(ControlCertificates.isControl(cert)).isTrue();
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=c1,OU=control,O=Hivemind");
    assertThat(out.toString()).contains("certificate for control node c1");
  }

  @Test
  void certCreate_givenNames_exactlyThoseAndTheDays() throws Exception {
    createCa();

    int code =
        run(
            "tls",
            "cert",
            "create",
            "--ca-dir",
            dir.toString(),
            "--name",
            "n2",
            "--out",
            dir.toString(),
            "--dns",
            "n2.example.com,n2.internal",
            "--ip",
            "10.0.0.2",
            "--ip",
            "::1",
            "--days",
            "7");

    assertThat(code).as(err.toString()).isZero();
    X509Certificate cert = PemFiles.readCertificate(dir.resolve("n2.pem"), "certificate");
    assertThat(altNames(cert)).contains("n2.example.com", "n2.internal", "10.0.0.2").hasSize(4);
    assertThat(cert.getNotAfter().toInstant())
        .isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(60))
        .isAfter(Instant.now().plus(Duration.ofDays(6)));
    cert.verify(PemFiles.readCertificate(dir.resolve("ca.pem"), "CA").getPublicKey());
  }

  @Test
  void certCreate_badIp_exit2NamingIt() throws Exception {
    createCa();

    assertThat(
            run(
                "tls",
                "cert",
                "create",
                "--ca-dir",
                dir.toString(),
                "--name",
                "n",
                "--ip",
                "10.0.0.256"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'10.0.0.256' is not an IP address");
  }

  @Test
  void certCreate_badDnsName_exit2NamingIt() throws Exception {
    createCa();

    assertThat(
            run("tls", "cert", "create", "--ca-dir", dir.toString(), "--name", "n", "--dns", "a_b"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'a_b' is not a DNS name");
  }

  @Test
  void certCreate_missingCa_exit2SayingHowToCreateOne() {
    Path empty = dir.resolve("empty");

    assertThat(run("tls", "cert", "create", "--ca-dir", empty.toString(), "--name", "n"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("No cluster CA in " + empty)
        .contains("hivemind tls ca create");
  }

  @Test
  void certCreate_caKeyMissing_exit2NamingTheFile() throws Exception {
    createCa();
    Files.delete(dir.resolve("ca-key.pem"));

    assertThat(run("tls", "cert", "create", "--ca-dir", dir.toString(), "--name", "n"))
        .isEqualTo(2);
    assertThat(err.toString()).contains(dir.resolve("ca-key.pem") + " does not exist");
  }

  @Test
  void certCreate_nameWithASlash_exit2BeforeWritingAnything() throws Exception {
    createCa();

    assertThat(run("tls", "cert", "create", "--ca-dir", dir.toString(), "--name", "../evil"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'../evil' is not a valid node name");
  }

  @Test
  void certCreate_existing_refusedUnlessForced() throws Exception {
    createCa();
    String[] args = {
      "tls", "cert", "create", "--ca-dir", dir.toString(), "--name", "n", "--out", dir.toString()
    };
    assertThat(run(args)).isZero();

    assertThat(run(args)).isEqualTo(2);
    assertThat(err.toString()).contains("Refusing to overwrite " + dir.resolve("n.pem"));
  }

  @Test
  void certCreate_withoutName_usageErrorFromPicocli() {
    assertThat(run("tls", "cert", "create", "--ca-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--name");
  }

  @Test
  void tls_alone_printsUsageAndExits2() {
    assertThat(run("tls")).isEqualTo(2);
    assertThat(err.toString()).contains("ca").contains("cert");
  }

  private static List<String> altNames(X509Certificate cert) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> name : cert.getSubjectAlternativeNames()) {
      names.add(String.valueOf(name.get(1)));
    }
    return names;
  }
}
