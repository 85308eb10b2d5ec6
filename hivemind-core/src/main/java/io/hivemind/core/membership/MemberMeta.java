package io.hivemind.core.membership;

import java.util.Collection;
import java.util.Map;

/** The size rule for member metadata (roles, tags, zone), shared by local and remote records. */
final class MemberMeta {

  /**
   * Most bytes of metadata a member may carry. Bounded so that an Alive message always fits a
   * packet with room to spare (memberlist bounds its meta at the same 512 bytes).
   */
  static final int MAX_BYTES = 512;

  private MemberMeta() {}

  /** UTF-8 bytes of every role, tag key, tag value and the zone, added up. */
  static int encodedSize(Collection<String> roles, Map<String, String> tags, String zone) {
    int size = utf8(zone);
    for (String role : roles) {
      size += utf8(role);
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      size += utf8(tag.getKey()) + utf8(tag.getValue());
    }
    return size;
  }

  /**
   * Whether {@code text} takes 1..{@code maxBytes} bytes of UTF-8. Counts them only when the length
   * cannot tell: a char takes at most 3 bytes, so for names, hosts and metadata of ordinary length
   * this costs nothing, which matters because it runs for every field of every received record.
   */
  static boolean utf8Within(String text, int maxBytes) {
    int length = text.length();
    return length > 0 && (length <= maxBytes / 3 || utf8(text) <= maxBytes);
  }

  /** UTF-8 length without encoding (no allocation: this runs for every received record). */
  static int utf8(String text) {
    int length = text.length();
    int bytes = length;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes++;
        } else if (Character.isHighSurrogate(c) && i + 1 < length) {
          bytes += 2; // with its low surrogate: 4 bytes for 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }
}
