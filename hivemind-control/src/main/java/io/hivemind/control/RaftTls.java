package io.hivemind.control;

import io.hivemind.server.tls.ClusterTrustManager;
import io.hivemind.server.tls.ControlPeerTrustManager;
import io.hivemind.server.tls.NodeKeyManager;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.tls.TlsMaterial;
import java.time.Instant;
import java.util.Optional;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * The TLS of a control node's Raft port, built once from {@link ControlTls}: the files are read and
 * checked at start ({@link TlsMaterial}: one sentence naming the file at fault, not a handshake
 * failure on every connection later), and the server and the client share one {@link
 * ControlPeerTrustManager}: the cluster CA only, and only control nodes' certificates, so an
 * agent's certificate cannot vote, append or change the group's configuration. It counts the chains
 * it refuses (gRPC counts nothing itself).
 *
 * @param parameters Ratis's parameters: mutual TLS for the server, client and admin channels, or
 *     none for plaintext
 * @param trust the cluster CA's trust manager, when TLS is on
 * @param control the control-certificate check on top of it, when TLS is on
 */
record RaftTls(
    Parameters parameters,
    Optional<ClusterTrustManager> trust,
    Optional<ControlPeerTrustManager> control) {

  static RaftTls of(ControlConfig config, Instant now) {
    Parameters parameters = new Parameters();
    if (config.tls().isEmpty()) {
      return new RaftTls(parameters, Optional.empty(), Optional.empty());
    }
    ControlTls files = config.tls().get();
    TlsMaterial material =
        TlsMaterial.load(TlsFiles.of(files.caCert(), files.cert(), files.key()), now);
    ClusterTrustManager trust = new ClusterTrustManager(material.caCertificates());
    ControlPeerTrustManager control = new ControlPeerTrustManager(trust);
    NodeKeyManager keys = new NodeKeyManager(material.certificate(), material.key());
    // One configuration for every channel; true: each side must present a certificate.
    GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(keys, control, true));
    return new RaftTls(parameters, Optional.of(trust), Optional.of(control));
  }

  /**
   * Handshakes refused because the peer's chain does not end at the cluster CA, or ends there but
   * is not a control node's.
   */
  long refusedChains() {
    return trust.map(ClusterTrustManager::refusedChains).orElse(0L)
        + control.map(ControlPeerTrustManager::refusedNotControl).orElse(0L);
  }
}
