package io.hivemind.server.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Whether a certificate may serve the control plane: its subject carries {@code OU=control}, which
 * {@code hivemind tls cert create --control} writes. Every node of a cluster holds a certificate
 * from the same CA, so the CA alone cannot tell a control node from a plain agent; without this
 * mark, any agent's certificate (and so any agent's host, once compromised) could speak Raft to the
 * voters or be restarted with the {@code control} role. Consul closes the same gap with its {@code
 * server.<datacenter>} name and {@code verify_server_hostname} (docs/security.md, "Identity").
 */
public final class ControlCertificates {

  /** The organizational unit a control node's certificate carries. */
  public static final String CONTROL_UNIT = "control";

  private ControlCertificates() {}

  /** Whether {@code certificate}'s subject carries {@code OU=control}. */
  public static boolean isControl(X509Certificate certificate) {
    RDN[] units =
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
            .getRDNs(BCStyle.OU);
    for (RDN unit : units) {
      for (AttributeTypeAndValue value : unit.getTypesAndValues()) {
        if (BCStyle.OU.equals(value.getType())
            && CONTROL_UNIT.equals(IETFUtils.valueToString(value.getValue()))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the peer of a finished handshake presented a control node's certificate. */
  public static boolean ofPeer(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
    return chain.length > 0 && chain[0] instanceof X509Certificate leaf && isControl(leaf);
  }
}
