package io.hivemind.server.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * A node's TLS files, read and checked to belong together: the CA file holds CA certificates only
 * (one, or two during a CA rotation), all valid now; the node certificate is signed by one of them,
 * valid now and usable at both ends of a connection (serverAuth and clientAuth), and the key is the
 * certificate's own. Each mistake is one sentence naming the file, at start, rather than a
 * handshake failure on every connection later.
 */
public record TlsMaterial(
    List<X509Certificate> caCertificates, X509Certificate certificate, PrivateKey key) {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  public TlsMaterial {
    caCertificates = List.copyOf(caCertificates);
    if (caCertificates.isEmpty()) {
      throw new IllegalArgumentException("no CA certificate");
    }
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
  }

  /** Names the certificates only: some JDK keys print their private values in toString. */
  @Override
  public String toString() {
    return "TlsMaterial[certificate="
        + certificate.getSubjectX500Principal()
        + ", cas="
        + caCertificates.stream().map(X509Certificate::getSubjectX500Principal).toList()
        + "]";
  }

  /**
   * Reads and checks {@code files} as of {@code now}.
   *
   * @throws TlsException naming the file at fault
   */
  public static TlsMaterial load(TlsFiles files, Instant now) {
    List<X509Certificate> cas = PemFiles.readCertificates(files.caCert(), "CA certificate");
    for (X509Certificate ca : cas) {
      requireCa(ca, files);
      requireValid(ca, "CA certificate", files, now);
    }
    X509Certificate cert = PemFiles.readCertificate(files.cert(), "certificate");
    requireSignedByOneOf(cert, cas, files);
    requireValid(cert, "certificate", files, now);
    requireBothUsages(cert, files);
    PrivateKey key = Keys.requireSupported(PemFiles.readPrivateKey(files.key()), files.key());
    if (!Keys.matches(key, cert.getPublicKey())) {
      throw new TlsException(
          "The TLS private key file "
              + files.key()
              + " is not the key of the certificate in "
              + files.cert()
              + ".");
    }
    return new TlsMaterial(cas, cert, key);
  }

  private static void requireCa(X509Certificate ca, TlsFiles files) {
    if (ca.getBasicConstraints() < 0) {
      throw new TlsException(
          "The TLS CA certificate file "
              + files.caCert()
              + " holds a certificate that is not a CA's ("
              + ca.getSubjectX500Principal()
              + "; is it a node certificate?).");
    }
  }

  private static void requireSignedByOneOf(
      X509Certificate cert, List<X509Certificate> cas, TlsFiles files) {
    for (X509Certificate ca : cas) {
      try {
        cert.verify(ca.getPublicKey());
        return;
      } catch (GeneralSecurityException e) {
        // Not this CA; try the next one of a rotation.
      }
    }
    throw new TlsException(
        "The TLS certificate file "
            + files.cert()
            + " is not signed by the cluster CA in "
            + files.caCert()
            + " (it was issued by "
            + cert.getIssuerX500Principal()
            + ").");
  }

  private static void requireValid(X509Certificate cert, String what, TlsFiles files, Instant now) {
    String file =
        "CA certificate".equals(what) ? files.caCert().toString() : files.cert().toString();
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new TlsException(
          "The TLS "
              + what
              + " in "
              + file
              + " ("
              + cert.getSubjectX500Principal()
              + ") expired on "
              + cert.getNotAfter().toInstant()
              + ".");
    } catch (CertificateNotYetValidException e) {
      throw new TlsException(
          "The TLS "
              + what
              + " in "
              + file
              + " is not valid before "
              + cert.getNotBefore().toInstant()
              + "; is this machine's clock right?");
    }
  }

  private static void requireBothUsages(X509Certificate cert, TlsFiles files) {
    List<String> usages;
    try {
      usages = cert.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new TlsException(
          "The TLS certificate file " + files.cert() + " has an unreadable extended key usage.", e);
    }
    // No extension at all means any usage (RFC 5280 4.2.1.12); a list must name both ends.
    if (usages != null && !(usages.contains(SERVER_AUTH) && usages.contains(CLIENT_AUTH))) {
      throw new TlsException(
          "The TLS certificate file "
              + files.cert()
              + " is not usable at both ends of mutual TLS: its extended key usage needs serverAuth"
              + " and clientAuth (create it with 'hivemind tls cert create').");
    }
  }
}
