package io.hivemind.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate the cluster CA issued and its private key, to be written as NODE.pem + key. */
public record NodeCertificate(X509Certificate certificate, PrivateKey privateKey) {

  public NodeCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Names the certificate only: some JDK keys print their private values in toString. */
  @Override
  public String toString() {
    return "NodeCertificate[" + certificate.getSubjectX500Principal() + "]";
  }
}
