package io.hivemind.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * A property that broke, with the input that broke it (in hex, and as text when it is mostly text),
 * so a report is enough to reproduce the failure by hand.
 */
public final class FuzzFailure extends AssertionError {

  private static final long serialVersionUID = 1L;

  /** Inputs longer than this are shown by their head and tail. */
  private static final int SHOWN_BYTES = 2048;

  private final String property;
  private final transient byte[] input;

  /**
   * @param property the property that broke, one short sentence (the shrinker keeps to failures of
   *     the same property)
   * @param detail what was observed
   * @param input the input that broke it
   * @param cause what was thrown, if that is the failure; may be null
   */
  public FuzzFailure(String property, String detail, byte[] input, Throwable cause) {
    super(property + ": " + detail + "\n" + describe(input), cause);
    this.property = property;
    this.input = input.clone();
  }

  public FuzzFailure(String property, String detail, byte[] input) {
    this(property, detail, input, null);
  }

  /** The property that broke. */
  public String property() {
    return property;
  }

  /** The input that broke it. */
  public byte[] input() {
    return input.clone();
  }

  /** {@code input} in hex, and as escaped text when it is mostly printable. */
  public static String describe(byte[] input) {
    StringBuilder text = new StringBuilder("input (").append(input.length).append(" bytes) hex: ");
    text.append(hex(input, SHOWN_BYTES));
    int printable = 0;
    for (byte b : input) {
      printable += (b >= 0x20 && b < 0x7F) || b == '\r' || b == '\n' || b == '\t' ? 1 : 0;
    }
    if (input.length > 0 && printable * 10 >= input.length * 9) {
      text.append("\ninput as text: \"").append(escape(input)).append('"');
    }
    return text.toString();
  }

  /** Hex of {@code bytes}; past {@code max} bytes, the head and tail with the gap counted. */
  public static String hex(byte[] bytes, int max) {
    StringBuilder hex = new StringBuilder(Math.min(bytes.length, max) * 2 + 32);
    if (bytes.length <= max) {
      appendHex(hex, bytes, 0, bytes.length);
    } else {
      appendHex(hex, bytes, 0, max / 2);
      hex.append(" …(").append(bytes.length - max).append(" bytes)… ");
      appendHex(hex, bytes, bytes.length - max / 2, bytes.length);
    }
    return hex.toString();
  }

  private static void appendHex(StringBuilder hex, byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      hex.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16))
          .append(Character.forDigit(bytes[i] & 0xF, 16));
    }
  }

  private static String escape(byte[] input) {
    String text =
        new String(input, 0, Math.min(input.length, SHOWN_BYTES), StandardCharsets.ISO_8859_1);
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\r' -> escaped.append("\\r");
        case '\n' -> escaped.append("\\n");
        case '\t' -> escaped.append("\\t");
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        default -> {
          if (c < 0x20 || c >= 0x7F) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return input.length > SHOWN_BYTES ? escaped + "…" : escaped.toString();
  }
}
