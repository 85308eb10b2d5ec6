package io.hivemind.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM in and out: certificates as {@code CERTIFICATE}, private keys as unencrypted PKCS#8 {@code
 * PRIVATE KEY}, the one key form that both Netty and the control plane's gRPC (shaded Netty's
 * {@code SslContextBuilder}) read. Every reading error is one sentence naming the file.
 *
 * <p>Files are written to a temporary file in the target directory and moved into place, so a crash
 * or a full disk never leaves half a key behind; private keys are created readable by their owner
 * only (0600) before a byte is written.
 */
public final class PemFiles {

  /** Far above any certificate chain or key; bounds what a wrong path makes us read. */
  static final int MAX_FILE_BYTES = 1 << 20;

  private static final int LINE_LENGTH = 64;

  private PemFiles() {}

  /** {@code cert} as a PEM {@code CERTIFICATE} block. */
  public static String encode(X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException(
          "cannot encode certificate " + cert.getSubjectX500Principal(), e);
    }
  }

  /** {@code key} as an unencrypted PKCS#8 PEM {@code PRIVATE KEY} block. */
  public static String encode(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
    }
    return block("PRIVATE KEY", key.getEncoded());
  }

  /**
   * Writes {@code pem} to {@code file}, replacing it if present; a {@code secret} is readable by
   * its owner only, anything else by everyone (a certificate is public).
   */
  public static void write(Path file, String pem, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    // createTempFile makes the file 0600 on POSIX systems, before any byte of the key is in it.
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, pem, StandardCharsets.US_ASCII);
      if (!secret) {
        makeWorldReadable(temp);
      }
      move(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The first certificate in {@code file} (a node's own certificate comes first in a chain).
   *
   * @param what what the file should hold, for the message: "CA certificate", "certificate"
   */
  public static X509Certificate readCertificate(Path file, String what) {
    return readCertificates(file, what).get(0);
  }

  /**
   * Every certificate in {@code file}, in order, at least one: a CA file may hold the old and the
   * new CA during a rotation (docs/security.md, "Rotation").
   */
  public static List<X509Certificate> readCertificates(Path file, String what) {
    String text = readText(file, what);
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      String held = text.contains("PRIVATE KEY-----") ? "a private key" : "no PEM certificate";
      throw new TlsException(
          "The TLS "
              + what
              + " file "
              + file
              + " holds "
              + held
              + " where a certificate was expected.");
    }
    try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))) {
      List<X509Certificate> certs = new ArrayList<>();
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) cert);
      }
      if (certs.isEmpty()) {
        throw new CertificateException("no certificate in the PEM blocks");
      }
      return List.copyOf(certs);
    } catch (CertificateException | IOException e) {
      throw new TlsException(
          "The TLS "
              + what
              + " file "
              + file
              + " holds an unreadable certificate: "
              + e.getMessage(),
          e);
    }
  }

  /** The unencrypted PKCS#8 private key in {@code file}. */
  public static PrivateKey readPrivateKey(Path file) {
    Object object = parseFirst(file, readText(file, "private key"));
    if (object instanceof PrivateKeyInfo info) {
      try {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      } catch (PEMException e) {
        throw new TlsException(
            "The TLS private key file "
                + file
                + " holds a key of an unsupported kind: "
                + e.getMessage(),
            e);
      }
    }
    throw new TlsException("The TLS private key file " + file + " " + describeNonKey(object) + ".");
  }

  private static Object parseFirst(Path file, String text) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      // PEMParser throws unchecked exceptions on some malformed bodies; either way the file is bad.
      throw new TlsException(
          "The TLS private key file " + file + " is not valid PEM: " + e.getMessage(), e);
    }
  }

  private static String describeNonKey(Object object) {
    if (object instanceof PEMKeyPair) {
      return "holds a key in OpenSSL's traditional form; convert it to PKCS#8 with"
          + " 'openssl pkcs8 -topk8 -nocrypt'";
    }
    if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "holds an encrypted key; the agent reads unencrypted PKCS#8 keys (protect the file"
          + " with its permissions, 0600)";
    }
    if (object == null) {
      return "holds no PEM private key (-----BEGIN PRIVATE KEY-----)";
    }
    return "holds a " + object.getClass().getSimpleName() + " where a private key was expected";
  }

  private static String readText(Path file, String what) {
    TlsFiles.requireReadable(file, what);
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new TlsException(
            "The TLS "
                + what
                + " file "
                + file
                + " is "
                + size
                + " bytes, more than a PEM file"
                + " holds (at most "
                + MAX_FILE_BYTES
                + ").");
      }
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TlsException("The TLS " + what + " file " + file + " cannot be read: " + e, e);
    }
  }

  private static String block(String type, byte[] der) {
    Base64.Encoder encoder = Base64.getMimeEncoder(LINE_LENGTH, new byte[] {'\n'});
    return "-----BEGIN "
        + type
        + "-----\n"
        + encoder.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void makeWorldReadable(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps the directory's default access, which is fine for
      // a certificate.
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
