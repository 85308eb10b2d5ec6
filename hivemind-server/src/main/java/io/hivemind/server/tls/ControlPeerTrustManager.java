package io.hivemind.server.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of a port only control nodes talk on (Raft's): a chain the {@link ClusterTrustManager}
 * trusts, whose leaf is also a control node's certificate ({@link ControlCertificates}). Checked at
 * both ends, so a plain agent's certificate can neither call a voter nor answer as one. A refusal
 * is counted and names the certificate's subject and the command that issues the right one.
 *
 * <p>Thread-safe: its only mutable state is a {@link LongAdder}.
 */
public final class ControlPeerTrustManager extends X509ExtendedTrustManager {

  private final ClusterTrustManager cluster;
  private final LongAdder notControl = new LongAdder();

  public ControlPeerTrustManager(ClusterTrustManager cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checked(() -> cluster.checkClientTrusted(chain, authType, engine), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checked(() -> cluster.checkServerTrusted(chain, authType, engine), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checked(() -> cluster.checkClientTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checked(() -> cluster.checkServerTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checked(() -> cluster.checkClientTrusted(chain, authType), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checked(() -> cluster.checkServerTrusted(chain, authType), chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cluster.getAcceptedIssuers();
  }

  /** Chains the cluster CA signed that are not a control node's, refused so far. */
  public long refusedNotControl() {
    return notControl.sum();
  }

  /** The cluster CA's check, then the control mark's: one order at every entry point. */
  private void checked(ClusterCheck clusterCheck, X509Certificate[] chain)
      throws CertificateException {
    clusterCheck.run();
    requireControl(chain);
  }

  @FunctionalInterface
  private interface ClusterCheck {
    void run() throws CertificateException;
  }

  private void requireControl(X509Certificate[] chain) throws CertificateException {
    // The cluster check passed, so the chain is not empty.
    if (ControlCertificates.isControl(chain[0])) {
      return;
    }
    notControl.increment();
    throw new CertificateException(
        "the certificate of "
            + chain[0].getSubjectX500Principal().getName()
            + " is not a control node's: only a certificate made with 'hivemind tls cert create"
            + " --control' may speak on a control node's Raft port");
  }
}
