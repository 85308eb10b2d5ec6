package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterTrustManagerTest {

  private static final Instant NOW = Instant.now();

  private final CertificateAuthority ca = CertificateAuthority.create("c", Duration.ofDays(2), NOW);
  private final ClusterTrustManager trust = new ClusterTrustManager(List.of(ca.certificate()));

  @Test
  void checkClientTrusted_certificateOfTheCa_accepted() throws Exception {
    trust.checkClientTrusted(new X509Certificate[] {node(ca)}, "EC");

    assertThat(trust.refusedChains()).isZero();
  }

  @Test
  void checkClientTrusted_anotherCa_refusedNamingBothAndCounted() {
    CertificateAuthority other = CertificateAuthority.create("x", Duration.ofDays(2), NOW);

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {node(other)}, "EC"))
        .isInstanceOf(UntrustedCertificateException.class)
        .hasMessageStartingWith(
            "the certificate of CN=n, O=Hivemind (issued by CN=Hivemind CA x, O=Hivemind) is not"
                + " trusted by the cluster CA CN=Hivemind CA c, O=Hivemind");
    assertThat(trust.refusedChains()).isEqualTo(1);
  }

  @Test
  void checkServerTrusted_selfSignedCertificate_refused() {
    // Well-formed and a CA's, but not the cluster CA: refused.
    CertificateAuthority self = CertificateAuthority.create("self", Duration.ofDays(2), NOW);

    assertThatThrownBy(
            () -> trust.checkServerTrusted(new X509Certificate[] {self.certificate()}, "EC"))
        .isInstanceOf(UntrustedCertificateException.class);
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
  }

  private static X509Certificate node(CertificateAuthority issuer) {
    return issuer
        .issue(NodeCertificateRequest.withDefaults("n", Duration.ofDays(1)), NOW)
        .certificate();
  }
}
