package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On the Raft port, a certificate of the cluster CA is not enough: it must be a control node's
 * ({@code OU=control}), at either end; a foreign CA's is refused before the mark is looked at.
 */
class ControlPeerTrustManagerTest {

  private static final Instant NOW = Instant.now();

  private final CertificateAuthority ca = CertificateAuthority.create("c", Duration.ofDays(2), NOW);
  private final ClusterTrustManager cluster = new ClusterTrustManager(List.of(ca.certificate()));
  private final ControlPeerTrustManager trust = new ControlPeerTrustManager(cluster);

  @Test
  void controlCertificate_acceptedAtBothEnds() throws Exception {
    X509Certificate[] chain = {issue(ca, "c1", true)};

    trust.checkClientTrusted(chain, "EC");
    trust.checkServerTrusted(chain, "ECDHE_ECDSA");

    assertThat(trust.refusedNotControl()).isZero();
    assertThat(ControlCertificates.isControl(chain[0])).isTrue();
    assertThat(chain[0].getSubjectX500Principal().getName())
        .isEqualTo("CN=c1,OU=control,O=Hivemind");
  }

  @Test
  void plainAgentsCertificate_refusedAtBothEnds_namingTheCommand_andCounted() {
    X509Certificate[] chain = {issue(ca, "p1", false)};

    assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("CN=p1")
        .hasMessageContaining("is not a control node's")
        .hasMessageContaining("hivemind tls cert create --control");
    assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);

    assertThat(trust.refusedNotControl()).isEqualTo(2);
    assertThat(cluster.refusedChains()).isZero();
  }

  @Test
  void anotherCasControlCertificate_refusedByTheClusterCheck() {
    CertificateAuthority other = CertificateAuthority.create("x", Duration.ofDays(2), NOW);

    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {issue(other, "c1", true)}, "EC"))
        .isInstanceOf(UntrustedCertificateException.class);
    assertThat(cluster.refusedChains()).isEqualTo(1);
    assertThat(trust.refusedNotControl()).isZero();
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
  }

  @Test
  void unitOtherThanControl_isNotTheMark() {
    // The CA writes only OU=control; a subject with no OU, or another value, is not a control one.
    assertThat(ControlCertificates.isControl(issue(ca, "p1", false))).isFalse();
    assertThat(ControlCertificates.isControl(ca.certificate())).isFalse();
  }

  private static X509Certificate issue(CertificateAuthority issuer, String name, boolean control) {
    NodeCertificateRequest request = NodeCertificateRequest.withDefaults(name, Duration.ofDays(1));
    return issuer.issue(control ? request.forControl() : request, NOW).certificate();
  }
}
