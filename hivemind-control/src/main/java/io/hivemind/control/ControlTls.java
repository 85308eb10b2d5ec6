package io.hivemind.control;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of a control node's mutual TLS on the Raft port (PEM, from the cluster CA: {@code
 * hivemind tls ca create}, {@code hivemind tls cert create}). Every peer must present a certificate
 * the CA signed; the key is PKCS#8.
 *
 * @param caCert the cluster CA's certificate: the only trusted issuer
 * @param cert this node's certificate chain
 * @param key this node's private key
 */
public record ControlTls(Path caCert, Path cert, Path key) {
  public ControlTls {
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }
}
