package io.hivemind.server.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The three PEM files of one node's mutual TLS: the cluster CA's certificate (the only trust
 * anchor), the node's certificate and its PKCS#8 private key. Netty ({@code MutualTls}) and the
 * control plane's gRPC transport read the same three files, so the agent's configuration names them
 * once.
 *
 * <p>The constructor only refuses nulls; {@link #of} also checks that each file is there and
 * readable, so a typo fails at start with the path in the sentence rather than at the first
 * handshake.
 */
public record TlsFiles(Path caCert, Path cert, Path key) {

  /** The CA certificate's file name that {@code hivemind tls ca create} writes. */
  public static final String CA_CERT_FILE = "ca.pem";

  /** The CA key's file name; it never leaves the operator's machine. */
  public static final String CA_KEY_FILE = "ca-key.pem";

  public TlsFiles {
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /**
   * The three files, each checked to be a readable regular file.
   *
   * @throws TlsException naming the first file that is missing or unreadable
   */
  public static TlsFiles of(Path caCert, Path cert, Path key) {
    TlsFiles files = new TlsFiles(caCert, cert, key);
    requireReadable(caCert, "CA certificate");
    requireReadable(cert, "certificate");
    requireReadable(key, "private key");
    return files;
  }

  /**
   * The layout {@code hivemind tls cert create} writes: {@code dir/ca.pem}, {@code dir/NODE.pem}
   * and {@code dir/NODE-key.pem}, checked as {@link #of} does.
   */
  public static TlsFiles inDirectory(Path dir, String nodeName) {
    CertificateNames.requireNodeName(nodeName);
    return of(dir.resolve(CA_CERT_FILE), certFile(dir, nodeName), keyFile(dir, nodeName));
  }

  /** {@code dir/NODE.pem}: where a node's certificate is written. */
  public static Path certFile(Path dir, String nodeName) {
    return dir.resolve(nodeName + ".pem");
  }

  /** {@code dir/NODE-key.pem}: where a node's private key is written. */
  public static Path keyFile(Path dir, String nodeName) {
    return dir.resolve(nodeName + "-key.pem");
  }

  static void requireReadable(Path file, String what) {
    if (!Files.exists(file)) {
      throw new TlsException("The TLS " + what + " file " + file + " does not exist.");
    }
    if (!Files.isRegularFile(file)) {
      throw new TlsException("The TLS " + what + " file " + file + " is not a regular file.");
    }
    if (!Files.isReadable(file)) {
      throw new TlsException("The TLS " + what + " file " + file + " is not readable.");
    }
  }
}
