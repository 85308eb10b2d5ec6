package io.hivemind.core.membership;

import java.util.Map;

/**
 * The character sets and lengths of what gossip carries (docs/protocol/membership.md, "Field
 * rules"): the same rules the agent's configuration enforces (SettingRules in hivemind-server), so
 * whatever a correct agent announces passes, and bit-flipped or forged records (names with CR, BEL
 * or DEL, hosts like {@code 12?.0.0.1}) do not.
 *
 * <ul>
 *   <li>node names: 1..{@value NodeIdentity#MAX_NAME_BYTES} bytes of ASCII letters, digits, '-',
 *       '_', '.', starting with a letter or digit;
 *   <li>tag keys and zones: the same, 1..64 bytes (a zone may be empty);
 *   <li>tag values: at most 256 bytes of UTF-8 without control characters;
 *   <li>roles: 1..64 bytes of lower-case letters, digits, '-', '_', '.', starting with a letter or
 *       digit;
 *   <li>hosts: IP literals only, IPv4 dotted decimal or IPv6 (RFC 4291 §2.2), no zone index: names
 *       are resolved where they are configured, off the node's loop, never from gossip. Parsed here
 *       without DNS (the core may not touch java.net).
 * </ul>
 *
 * <p>Stateless.
 */
final class FieldRules {

  /** Longest tag key, zone or role, in bytes. */
  static final int MAX_SHORT_NAME_BYTES = 64;

  /** Longest tag value, in UTF-8 bytes. */
  static final int MAX_TAG_VALUE_BYTES = 256;

  private FieldRules() {}

  /** A node name. */
  static boolean isNodeName(String value) {
    return isName(value, NodeIdentity.MAX_NAME_BYTES, false);
  }

  static boolean isTagKey(String value) {
    return isName(value, MAX_SHORT_NAME_BYTES, false);
  }

  static boolean isZone(String value) {
    return value.isEmpty() || isName(value, MAX_SHORT_NAME_BYTES, false);
  }

  static boolean isRole(String value) {
    return isName(value, MAX_SHORT_NAME_BYTES, true);
  }

  static boolean isTagValue(String value) {
    if (!value.isEmpty() && !MemberMeta.utf8Within(value, MAX_TAG_VALUE_BYTES)) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The name of the first tag breaking a rule, or null when all pass. */
  static String badTag(Map<String, String> tags) {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!isTagKey(tag.getKey()) || !isTagValue(tag.getValue())) {
        return tag.getKey();
      }
    }
    return null;
  }

  /** ASCII only, so chars are bytes. */
  private static boolean isName(String value, int maxBytes, boolean lowerCaseOnly) {
    int length = value.length();
    if (length == 0 || length > maxBytes || !isLetterOrDigit(value.charAt(0), lowerCaseOnly)) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = value.charAt(i);
      if (!isLetterOrDigit(c, lowerCaseOnly) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c, boolean lowerCaseOnly) {
    return (c >= 'a' && c <= 'z') || (!lowerCaseOnly && c >= 'A' && c <= 'Z') || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** An IPv4 or IPv6 literal. */
  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 ? isIpv6(host) : isIpv4(host);
  }

  /**
   * Four decimal octets 0..255 separated by dots. A leading zero is refused: some parsers read
   * {@code 010} as octal (8), others as 10, and a record must mean one address to every reader.
   */
  static boolean isIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!isOctet(part)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOctet(String part) {
    int length = part.length();
    if (length == 0 || length > 3 || (length > 1 && part.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isDigit(part.charAt(i))) {
        return false;
      }
    }
    return Integer.parseInt(part) <= 255;
  }

  /**
   * Eight groups of 1..4 hex digits, or fewer with one {@code ::} standing for at least one zero
   * group; the last two groups may be written as an IPv4 address. No brackets, no zone index.
   */
  static boolean isIpv6(String host) {
    if (host.length() > 45) {
      return false;
    }
    int gap = host.indexOf("::");
    if (gap >= 0 && host.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    if (gap < 0) {
      return groups(host) == 8;
    }
    String head = host.substring(0, gap);
    String tail = host.substring(gap + 2);
    int headGroups = head.isEmpty() ? 0 : groupsNoIpv4(head);
    int tailGroups = tail.isEmpty() ? 0 : groups(tail);
    return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 7;
  }

  /** Groups in {@code text} (an IPv4 tail counts as two), or -1 when one is malformed. */
  private static int groups(String text) {
    int lastColon = text.lastIndexOf(':');
    String last = text.substring(lastColon + 1);
    if (last.indexOf('.') >= 0) {
      if (!isIpv4(last)) {
        return -1;
      }
      if (lastColon < 0) {
        return 2;
      }
      int head = groupsNoIpv4(text.substring(0, lastColon));
      return head < 0 ? -1 : head + 2;
    }
    return groupsNoIpv4(text);
  }

  private static int groupsNoIpv4(String text) {
    String[] parts = text.split(":", -1);
    for (String part : parts) {
      if (!isHexGroup(part)) {
        return -1;
      }
    }
    return parts.length;
  }

  private static boolean isHexGroup(String part) {
    int length = part.length();
    if (length == 0 || length > 4) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = part.charAt(i);
      if (!isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }
}
