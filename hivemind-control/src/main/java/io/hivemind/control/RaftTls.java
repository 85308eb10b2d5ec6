package io.hivemind.control;

import io.hivemind.server.tls.ClusterTrustManager;
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
 * ClusterTrustManager}, which trusts the cluster CA only and counts the chains it refuses (gRPC
 * counts nothing itself).
 *
 * @param parameters Ratis's parameters: mutual TLS for the server, client and admin channels, or
 *     none for plaintext
 * @param trust the trust manager, when TLS is on
 */
record RaftTls(Parameters parameters, Optional<ClusterTrustManager> trust) {

  static RaftTls of(ControlConfig config, Instant now) {
    Parameters parameters = new Parameters();
    if (config.tls().isEmpty()) {
      return new RaftTls(parameters, Optional.empty());
    }
    ControlTls files = config.tls().get();
    TlsMaterial material =
        TlsMaterial.load(TlsFiles.of(files.caCert(), files.cert(), files.key()), now);
    ClusterTrustManager trust = new ClusterTrustManager(material.caCertificates());
    NodeKeyManager keys = new NodeKeyManager(material.certificate(), material.key());
    // One configuration for every channel; true: each side must present a certificate.
    GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(keys, trust, true));
    return new RaftTls(parameters, Optional.of(trust));
  }

  /** Handshakes refused because the peer's chain does not end at the cluster CA. */
  long refusedChains() {
    return trust.map(ClusterTrustManager::refusedChains).orElse(0L);
  }
}
