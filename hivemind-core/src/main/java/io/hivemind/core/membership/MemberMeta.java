package io.hivemind.core.membership;

import java.nio.charset.StandardCharsets;
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

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
