package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final CertificateAuthority ca =
      CertificateAuthority.create("prod", Duration.ofDays(1825), NOW);

  @Test
  void create_selfSignedCaWithPathLengthZero() throws Exception {
    X509Certificate cert = parse(PemFiles.encode(ca.certificate()));

    cert.verify(cert.getPublicKey());
    assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=Hivemind CA prod");
    assertThat(cert.getBasicConstraints()).isZero();
    // keyCertSign (5) and cRLSign (6), nothing else.
    assertThat(cert.getKeyUsage())
        .containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(cert.getCriticalExtensionOIDs())
        .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
  }

  @Test
  void create_validFromBackdatedNowForTheGivenDays() {
    X509Certificate cert = ca.certificate();

    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(CertificateAuthority.BACKDATE));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1825)));
  }

  @Test
  void create_badClusterName_refusedWithTheName() {
    assertThatThrownBy(() -> CertificateAuthority.create("bad name", Duration.ofDays(1), NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("'bad name'");
  }

  @Test
  void create_zeroValidity_refused() {
    assertThatThrownBy(() -> CertificateAuthority.create("prod", Duration.ZERO, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("positive");
  }

  @Test
  void issue_bothExtendedKeyUsagesAndNoCaRights() throws Exception {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));

    assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=node-1");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
  }

  @Test
  void issue_defaultNames_nodeNameLocalhostAndLoopback() throws Exception {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));

    assertThat(altNames(cert)).containsExactlyInAnyOrder("2:node-1", "2:localhost", "7:127.0.0.1");
  }

  @Test
  void issue_givenNames_allInTheCertificateAsBouncyCastleReadsIt() throws Exception {
    NodeCertificateRequest request =
        new NodeCertificateRequest(
            "n1",
            List.of("n1.example.com", "control.internal"),
            List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("::1")),
            Duration.ofDays(30));
    X509Certificate cert = issue(request);

    GeneralNames names =
        GeneralNames.fromExtensions(
            new X509CertificateHolder(cert.getEncoded()).getExtensions(),
            Extension.subjectAlternativeName);
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      if (name.getTagNo() == GeneralName.dNSName) {
        dns.add(name.getName().toString());
      } else if (name.getTagNo() == GeneralName.iPAddress) {
        ips.add(InetAddress.getByAddress(ASN1OctetString.getInstance(name.getName()).getOctets()));
      }
    }
    assertThat(dns).containsExactly("n1.example.com", "control.internal");
    assertThat(ips).isEqualTo(request.ipAddresses());
  }

  @Test
  void issue_verifiesAgainstTheCaAndPassesPkixValidation() throws Exception {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));

    cert.verify(ca.certificate().getPublicKey());
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW.plus(Duration.ofDays(1))));
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(cert)), params);
  }

  @Test
  void issue_doesNotVerifyAgainstAnotherCa() {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));
    CertificateAuthority other = CertificateAuthority.create("prod", Duration.ofDays(10), NOW);

    assertThatThrownBy(() -> cert.verify(other.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void issue_pkixRefusesItOnceExpired() throws Exception {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW.plus(Duration.ofDays(31))));

    assertThatThrownBy(
            () ->
                CertPathValidator.getInstance("PKIX")
                    .validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)),
                        params))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void issue_validityForTheGivenDays() {
    X509Certificate cert =
        issue(NodeCertificateRequest.withDefaults("node-1", Duration.ofDays(30)));

    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(CertificateAuthority.BACKDATE));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
  }

  @Test
  void issue_longerThanTheCa_cappedAtTheCaExpiry() {
    CertificateAuthority shortCa = CertificateAuthority.create("prod", Duration.ofDays(10), NOW);

    X509Certificate cert =
        shortCa
            .issue(NodeCertificateRequest.withDefaults("n", Duration.ofDays(365)), NOW)
            .certificate();

    assertThat(cert.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
  }

  @Test
  void issue_afterTheCaExpired_refused() {
    NodeCertificateRequest request = NodeCertificateRequest.withDefaults("n", Duration.ofDays(1));

    assertThatThrownBy(() -> ca.issue(request, NOW.plus(Duration.ofDays(1826))))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void issue_eachCertificateHasItsOwnKeyAndSerial() {
    NodeCertificate a = ca.issue(NodeCertificateRequest.withDefaults("a", Duration.ofDays(1)), NOW);
    NodeCertificate b = ca.issue(NodeCertificateRequest.withDefaults("a", Duration.ofDays(1)), NOW);

    assertThat(a.certificate().getSerialNumber()).isNotEqualTo(b.certificate().getSerialNumber());
    assertThat(a.certificate().getSerialNumber().signum()).isPositive();
    assertThat(a.privateKey().getEncoded()).isNotEqualTo(b.privateKey().getEncoded());
  }

  private X509Certificate issue(NodeCertificateRequest request) {
    return ca.issue(request, NOW).certificate();
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** "type:value" for each subject alternative name, as the JDK reads them. */
  private static List<String> altNames(X509Certificate cert) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> name : cert.getSubjectAlternativeNames()) {
      names.add(name.get(0) + ":" + name.get(1));
    }
    return names;
  }
}
