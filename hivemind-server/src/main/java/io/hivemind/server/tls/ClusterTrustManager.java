package io.hivemind.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts the cluster CA and nothing else: the JDK's PKIX checks (signature chain, validity, key
 * usages, and the host name when the engine asks for it) with a key store holding only the CA
 * certificates of ca.pem (one, or the old and the new during a CA rotation), never the JDK's
 * default trust store, so a certificate from a public CA is as foreign as a self-signed one.
 *
 * <p>A refusal is rethrown as {@link UntrustedCertificateException} with the subject and issuer in
 * the sentence (the JDK's own says only "PKIX path building failed"). No revocation checking: the
 * cluster has no CRL; short validity and a new CA are its remedies (docs/security.md).
 *
 * <p>Thread-safe: the JDK calls it from every handshake at once; its only mutable state is a {@link
 * LongAdder}.
 */
public final class ClusterTrustManager extends X509ExtendedTrustManager {

  private final List<X509Certificate> cas;
  private final X509ExtendedTrustManager pkix;
  private final LongAdder refused = new LongAdder();

  /** Trusts chains that end at one of {@code cas}: the cluster CA, or two during a rotation. */
  public ClusterTrustManager(List<X509Certificate> cas) {
    this.cas = List.copyOf(cas);
    if (this.cas.isEmpty()) {
      throw new IllegalArgumentException("a trust manager needs at least one CA certificate");
    }
    this.pkix = pkixTrusting(this.cas);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refuse(chain, e);
    }
  }

  /**
   * Chains refused so far, at either end. For a TLS stack that counts nothing itself (the control
   * plane's gRPC, given this trust manager); {@code MutualTls} counts by reason on its own.
   */
  public long refusedChains() {
    return refused.sum();
  }

  private UntrustedCertificateException refuse(X509Certificate[] chain, CertificateException e) {
    refused.increment();
    return new UntrustedCertificateException(chain, cas, e);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cas.toArray(new X509Certificate[0]);
  }

  private static X509ExtendedTrustManager pkixTrusting(List<X509Certificate> cas) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("hivemind-cluster-ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager for the cluster CA", e);
    }
    throw new IllegalStateException("this Java runtime has no PKIX X509ExtendedTrustManager");
  }
}
