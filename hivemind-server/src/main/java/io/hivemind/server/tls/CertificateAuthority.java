package io.hivemind.server.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: a self-signed CA certificate and its key, which sign node
 * certificates. Created once per cluster ({@code hivemind tls ca create}); its key stays with the
 * operator, only {@code ca.pem} goes to the nodes.
 *
 * <p>Built with BouncyCastle's certificate builder and signed through the JDK's own providers (no
 * BouncyCastle provider is registered). The CA may sign only end-entity certificates (path length
 * 0): a node certificate can never sign another. Node certificates carry both serverAuth and
 * clientAuth extended key usages, because the same certificate serves both ends of mutual TLS.
 *
 * <p>Validity starts {@link #BACKDATE} before {@code now}, so that a node whose clock is a little
 * behind the operator's does not refuse a certificate issued a moment ago.
 */
public final class CertificateAuthority {

  /** Consul's default for its CA: five years, long enough to plan the one rotation it needs. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1825);

  /** Clock skew tolerated between the machine that issues and the nodes that check. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  /** The organisation in every subject Hivemind writes. */
  static final String ORGANISATION = "Hivemind";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** A new CA for {@code cluster}, valid from {@code now} (less {@link #BACKDATE}). */
  public static CertificateAuthority create(String cluster, Duration validity, Instant now) {
    CertificateNames.requireClusterName(cluster);
    requirePositive(validity);
    KeyPair keys = Keys.newKeyPair();
    X500Name subject = subject("Hivemind CA " + cluster);
    X509v3CertificateBuilder builder =
        builder(subject, subject, now.minus(BACKDATE), now.plus(validity), keys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate's extensions", e);
    }
    X509Certificate cert = sign(builder, keys.getPrivate());
    return new CertificateAuthority(cert, keys.getPrivate());
  }

  /**
   * The CA in {@code certFile} and {@code keyFile}, checked: the certificate is a CA's and the key
   * is its own.
   */
  public static CertificateAuthority load(Path certFile, Path keyFile) {
    X509Certificate cert = PemFiles.readCertificate(certFile, "CA certificate");
    PrivateKey key = Keys.requireSupported(PemFiles.readPrivateKey(keyFile), keyFile);
    if (cert.getBasicConstraints() < 0) {
      throw new TlsException(
          "The TLS CA certificate file " + certFile + " holds a certificate that is not a CA's.");
    }
    if (!Keys.matches(key, cert.getPublicKey())) {
      throw new TlsException(
          "The TLS private key file "
              + keyFile
              + " is not the key of the CA certificate in "
              + certFile
              + ".");
    }
    return new CertificateAuthority(cert, key);
  }

  /**
   * A node certificate for {@code request} with a fresh key, valid from {@code now} for the
   * request's validity or until the CA expires, whichever comes first (a certificate cannot outlive
   * the CA that vouches for it).
   */
  public NodeCertificate issue(NodeCertificateRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (!now.isBefore(caNotAfter)) {
      throw new TlsException("The cluster CA expired on " + caNotAfter + "; create a new CA.");
    }
    Instant notAfter = min(now.plus(request.validity()), caNotAfter);
    KeyPair keys = Keys.newKeyPair();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        builder(issuer, nodeSubject(request), now.minus(BACKDATE), notAfter, keys.getPublic());
    addNodeExtensions(builder, request, keys.getPublic());
    return new NodeCertificate(sign(builder, privateKey), keys.getPrivate());
  }

  /** The CA's self-signed certificate: the trust anchor every node holds as ca.pem. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's private key: written to ca-key.pem and nowhere else. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  private void addNodeExtensions(
      X509v3CertificateBuilder builder, NodeCertificateRequest request, PublicKey publicKey) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      // TLS 1.3 with EC keys needs signatures only; keyEncipherment was for RSA key transport.
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, altNames(request));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(certificate.getPublicKey()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the node certificate's extensions", e);
    }
  }

  private static GeneralNames altNames(NodeCertificateRequest request) {
    List<GeneralName> names = new ArrayList<>();
    for (String dns : request.dnsNames()) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (InetAddress ip : request.ipAddresses()) {
      // The address's own bytes (RFC 5280 4.2.1.6: 4 or 16 octets), not BouncyCastle's text parser.
      names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, Instant notBefore, Instant notAfter, PublicKey key) {
    // RFC 5280 4.1.2.2: positive, at most 20 octets; 127 random bits make collisions moot.
    BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(
        issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(key)).build(key)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate with the CA key", e);
    }
  }

  /** O=Hivemind, then OU=control for a control node's certificate, then CN=the node's name. */
  private static X500Name nodeSubject(NodeCertificateRequest request) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANISATION);
    if (request.control()) {
      name.addRDN(BCStyle.OU, ControlCertificates.CONTROL_UNIT);
    }
    return name.addRDN(BCStyle.CN, request.nodeName()).build();
  }

  private static X500Name subject(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ORGANISATION)
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static void requirePositive(Duration validity) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new TlsException("A certificate's validity must be positive, got " + validity + ".");
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
