package io.hivemind.server.role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The cluster's join token: a shared secret a joining node presents and the control plane's leader
 * checks. It never appears in a log line, a {@code toString}, an error sentence or {@code
 * /v1/agent/self}: only {@link #matches} and {@link #reveal} (for the wire) see it.
 */
public final class JoinToken {

  /** Shortest token accepted: anything shorter can be guessed by trying. */
  public static final int MIN_CHARS = 16;

  /** Longest token accepted: a bound on what a join request carries. */
  public static final int MAX_CHARS = 512;

  private final byte[] bytes;

  private JoinToken(String value) {
    this.bytes = value.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A token of {@value #MIN_CHARS} to {@value #MAX_CHARS} printable ASCII characters, no spaces.
   *
   * @throws IllegalArgumentException saying what is wrong, never quoting the value
   */
  public static JoinToken of(String value) {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new JoinToken(value);
  }

  /** Why {@code value} is not a token (a sentence part that never quotes it), or null. */
  static String problem(String value) {
    if (value == null || value.isEmpty()) {
      return "it is empty";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "the character at position "
            + (i + 1)
            + " is not printable ASCII (a space, a control character or beyond ASCII)";
      }
    }
    if (value.length() < MIN_CHARS || value.length() > MAX_CHARS) {
      return "it is " + value.length() + " characters";
    }
    return null;
  }

  /** What a sentence about a bad token says is accepted. */
  public static String accepted() {
    return MIN_CHARS
        + " to "
        + MAX_CHARS
        + " printable ASCII characters without spaces, such as a key printed by `hivemind"
        + " keygen`";
  }

  /** True when {@code presented} is this token; in constant time, so timing reveals nothing. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.US_ASCII));
  }

  /** The token itself, to put in a join request; never log it. */
  public String reveal() {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JoinToken token && MessageDigest.isEqual(bytes, token.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length; // Deliberately weak: a hash of the secret would leak bits of it.
  }

  @Override
  public String toString() {
    return "JoinToken[redacted]";
  }
}
