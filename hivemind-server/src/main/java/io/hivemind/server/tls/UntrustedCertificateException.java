package io.hivemind.server.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A peer's certificate chain that the cluster CA does not vouch for (another CA, self-signed,
 * expired, or for another address). Thrown by {@link ClusterTrustManager} inside the handshake, so
 * that the code watching handshakes can tell this refusal from any other failure.
 */
public final class UntrustedCertificateException extends CertificateException {

  private static final long serialVersionUID = 1L;

  UntrustedCertificateException(
      X509Certificate[] chain, List<X509Certificate> cas, Throwable cause) {
    super(
        describe(chain)
            + " is not trusted by the cluster CA "
            + cas.stream()
                .map(ca -> ca.getSubjectX500Principal().toString())
                .collect(Collectors.joining(" or "))
            + ": "
            + cause.getMessage(),
        cause);
  }

  private static String describe(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return "an empty certificate chain";
    }
    return "the certificate of "
        + chain[0].getSubjectX500Principal()
        + " (issued by "
        + chain[0].getIssuerX500Principal()
        + ")";
  }
}
