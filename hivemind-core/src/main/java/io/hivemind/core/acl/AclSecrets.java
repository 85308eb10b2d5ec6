package io.hivemind.core.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one-way form of a token's secret the control plane stores: SHA-256 of its UTF-8 bytes, in
 * lower-case hex. A secret is 122 random bits (a UUID), so a plain hash without salt or stretching
 * is enough: there is no dictionary to try.
 *
 * <p>Stateless.
 */
public final class AclSecrets {

  private static final HexFormat HEX = HexFormat.of();

  private AclSecrets() {}

  /** SHA-256 of {@code secret}, 64 lower-case hex digits. */
  public static String sha256(String secret) {
    return HEX.formatHex(digest().digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** Compares two hashes in time independent of where they differ. */
  public static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
