package io.hivemind.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the node's one certificate at both ends of every handshake, whichever CAs the peer says
 * it accepts. The JDK's own key manager sends no certificate at all when the peer's list of CAs
 * (TLS 1.3's certificate_authorities) lacks ours; then a node from another cluster shows up as
 * "sent no certificate", where presenting it lets the peer log and count what it really is: a
 * certificate from an untrusted CA.
 *
 * <p>Immutable, so safe for every handshake at once.
 */
public final class NodeKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "node";

  private final X509Certificate certificate;
  private final PrivateKey key;

  /** Presents {@code certificate}, proving it with {@code key}. */
  public NodeKeyManager(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return chooseClientAlias(keyTypes, issuers, (Socket) null);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    for (String keyType : keyTypes) {
      if (fits(keyType)) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  /** The JDK asks by key type: "EC", or "EC_EC"-style pairs for TLS 1.2 suites. */
  private boolean fits(String keyType) {
    String algorithm = key.getAlgorithm();
    return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_"));
  }
}
