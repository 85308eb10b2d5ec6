package io.hivemind.server.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Join-token proofs: a joining node sends HMAC-SHA256(token, its id) instead of the token, so the
 * token never travels or lands in the log, and a proof captured on the wire admits no other id.
 */
public final class JoinProofs {

  /** A join token; {@link #toString} hides it so it never reaches a log line. */
  public static final class Token {
    private final byte[] secret;

    public Token(String secret) {
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("a join token must not be empty");
      }
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "JoinToken[hidden]";
    }
  }

  private JoinProofs() {}

  /** The proof that the holder of {@code token} asks to admit {@code id}, as 64 hex digits. */
  public static String proof(Token token, String id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
    }
  }

  /** Whether {@code proof} proves {@code token} for {@code id}; compares in constant time. */
  public static boolean verify(Token token, String id, String proof) {
    byte[] expected = proof(token, id).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII));
  }
}
