package io.hivemind.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file layout of {@code hivemind tls}: {@code ca.pem} and {@code ca-key.pem} for the CA, {@code
 * NODE.pem} and {@code NODE-key.pem} for a node. Existing files are never replaced unless the
 * caller forces it, and the check covers every file of a pair before the first is written, so a
 * refusal leaves the directory as it was.
 */
public final class CertificateFiles {

  private CertificateFiles() {}

  /**
   * Writes the CA's certificate and key into {@code dir} (created if missing).
   *
   * @return the files written, certificate first
   * @throws TlsException if a file exists and {@code force} is false
   */
  public static List<Path> writeCa(CertificateAuthority ca, Path dir, boolean force)
      throws IOException {
    Path cert = dir.resolve(TlsFiles.CA_CERT_FILE);
    Path key = dir.resolve(TlsFiles.CA_KEY_FILE);
    writePair(
        cert, PemFiles.encode(ca.certificate()), key, PemFiles.encode(ca.privateKey()), force);
    return List.of(cert, key);
  }

  /**
   * Writes a node's certificate and key into {@code dir} (created if missing) as {@code NODE.pem}
   * and {@code NODE-key.pem}.
   *
   * @return the files written, certificate first
   * @throws TlsException if a file exists and {@code force} is false
   */
  public static List<Path> writeNode(NodeCertificate node, String nodeName, Path dir, boolean force)
      throws IOException {
    CertificateNames.requireNodeName(nodeName);
    Path cert = TlsFiles.certFile(dir, nodeName);
    Path key = TlsFiles.keyFile(dir, nodeName);
    writePair(
        cert, PemFiles.encode(node.certificate()), key, PemFiles.encode(node.privateKey()), force);
    return List.of(cert, key);
  }

  /** The CA in {@code dir}: {@code ca.pem} and {@code ca-key.pem}, checked to belong together. */
  public static CertificateAuthority readCa(Path dir) {
    Path cert = dir.resolve(TlsFiles.CA_CERT_FILE);
    Path key = dir.resolve(TlsFiles.CA_KEY_FILE);
    if (!Files.exists(cert) && !Files.exists(key)) {
      throw new TlsException(
          "No cluster CA in "
              + dir
              + ": neither "
              + TlsFiles.CA_CERT_FILE
              + " nor "
              + TlsFiles.CA_KEY_FILE
              + " is there (create one with 'hivemind tls ca create').");
    }
    return CertificateAuthority.load(cert, key);
  }

  private static void writePair(Path cert, String certPem, Path key, String keyPem, boolean force)
      throws IOException {
    if (!force) {
      List<Path> existing = new ArrayList<>();
      for (Path file : List.of(cert, key)) {
        if (Files.exists(file)) {
          existing.add(file);
        }
      }
      if (!existing.isEmpty()) {
        throw new TlsException(
            "Refusing to overwrite "
                + String.join(" and ", existing.stream().map(Path::toString).toList())
                + "; pass --force to replace.");
      }
    }
    Files.createDirectories(cert.toAbsolutePath().getParent());
    // The key first: a certificate without its key is useless, a key without its certificate
    // is only rewritten by the next run.
    PemFiles.write(key, keyPem, true);
    PemFiles.write(cert, certPem, false);
  }
}
