package io.hivemind.server.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The node a certificate names: its subject's common name, which {@code hivemind tls cert create
 * --name NODE} sets to the node's name (docs/security.md, "Identity").
 */
public final class CommonNames {

  private CommonNames() {}

  /** The common name of {@code certificate}'s subject; empty when it has none or several. */
  public static Optional<String> of(X509Certificate certificate) {
    RDN[] names =
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
            .getRDNs(BCStyle.CN);
    if (names.length != 1 || names[0].isMultiValued()) {
      return Optional.empty();
    }
    return Optional.of(IETFUtils.valueToString(names[0].getFirst().getValue()));
  }

  /**
   * The common name of the certificate the peer of a finished handshake presented; empty when it
   * presented none (a server that does not require one) or one without a single common name.
   */
  public static Optional<String> ofPeer(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    return chain.length > 0 && chain[0] instanceof X509Certificate leaf
        ? of(leaf)
        : Optional.empty();
  }
}
