package io.hivemind.server.role;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files of mutual TLS between control nodes and on the follow stream: the cluster CA that
 * every peer's certificate must chain to, and this node's certificate and private key ({@code
 * hivemind tls ca create}, {@code hivemind tls cert create}). The configuration checked each was a
 * readable file at start; their contents are read by the transport that uses them.
 *
 * @param caFile the cluster CA certificate
 * @param certFile this node's certificate, signed by the CA
 * @param keyFile this node's private key
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile) {

  public TlsFiles {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }
}
