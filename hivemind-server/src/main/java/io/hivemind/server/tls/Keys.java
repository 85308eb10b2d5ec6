package io.hivemind.server.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * Key pairs and the signature algorithm that goes with each.
 *
 * <p>New keys are EC on NIST P-256 (secp256r1): every TLS 1.3 stack (the JDK's, the BoringSSL that
 * gRPC may use) supports it, its strength is 128 bits against RSA-2048's 112, and keys and
 * certificates are a fraction of the size. It is not the faster choice on Java 17: signing costs
 * about what RSA-2048's does and verifying much more, so a mutual handshake's signature work is two
 * to three times RSA's (docs/security.md has the figures); cluster links are long-lived, so a few
 * milliseconds per connection do not decide it. RSA keys an operator brings (an existing CA) are
 * still accepted.
 */
public final class Keys {

  /** The curve of every key Hivemind creates. */
  public static final String CURVE = "secp256r1";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      // Every Java 17 runtime ships SunEC with P-256; without it nothing here could work.
      throw new IllegalStateException("this Java runtime cannot create EC P-256 keys", e);
    }
  }

  /**
   * Refuses a key of a kind Hivemind cannot sign with (neither EC nor RSA), naming its file.
   *
   * @return {@code key}
   */
  static PrivateKey requireSupported(PrivateKey key, Path file) {
    String algorithm = key.getAlgorithm();
    if (!"EC".equals(algorithm) && !"RSA".equals(algorithm)) {
      throw new TlsException(
          "The TLS private key file "
              + file
              + " holds a "
              + algorithm
              + " key; use an EC or RSA key.");
    }
    return key;
  }

  /** The signature algorithm for certificates signed with {@code key}: SHA-256 with EC or RSA. */
  static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new IllegalArgumentException("neither an EC nor an RSA key: " + key.getAlgorithm());
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: a probe signed with one verifies
   * with the other. Works the same for EC and RSA, without digging into key parameters.
   */
  static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = signatureAlgorithm(key);
    byte[] probe = "hivemind key match".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key the provider rejects for this public key (another curve): not a match.
      return false;
    }
  }
}
