package io.hivemind.core.acl;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The field rules of a token (docs/acl.md, "Limits"): the control plane's decoder and state machine
 * check every token against them, so one that breaks a rule is refused INVALID on every replica
 * alike, and the HTTP API checks a request's token before proposing it.
 *
 * <p>Stateless.
 */
public final class AclFieldRules {

  /** Most rules a token may carry: a scope per service of a small team, with room to spare. */
  public static final int MAX_RULES = 64;

  /** Longest rule prefix, in UTF-8 bytes: a KV key's bound, the longest name a rule governs. */
  public static final int MAX_PREFIX_BYTES = 512;

  /** Longest description, in UTF-8 bytes. */
  public static final int MAX_DESCRIPTION_BYTES = 256;

  /**
   * Most tokens the control plane holds: every token is in every snapshot and every view; a few
   * thousand is far more than the services of one cluster need.
   */
  public static final int MAX_TOKENS = 4096;

  private AclFieldRules() {}

  /** What {@code token} breaks, one sentence, or null when it follows every rule. */
  public static String problem(AclToken token) {
    if (!isAccessorId(token.accessorId())) {
      return "accessor id " + shown(token.accessorId()) + " is not a lower-case UUID";
    }
    if (!isSha256(token.secretSha256())) {
      return "secret hash of token " + token.accessorId() + " is not 64 lower-case hex digits";
    }
    if (!textWithin(token.description(), MAX_DESCRIPTION_BYTES)) {
      return "description is longer than "
          + MAX_DESCRIPTION_BYTES
          + " bytes or holds a control character";
    }
    if (token.createIndex() < 0 || token.modifyIndex() < 0) {
      return "token indexes must not be negative";
    }
    return rulesProblem(token.rules());
  }

  /** What {@code rules} break, or null. */
  public static String rulesProblem(List<AclRule> rules) {
    if (rules.size() > MAX_RULES) {
      return rules.size() + " rules; a token holds at most " + MAX_RULES;
    }
    for (AclRule rule : rules) {
      if (!textWithin(rule.prefix(), MAX_PREFIX_BYTES)) {
        return "rule prefix "
            + shown(rule.prefix())
            + " is longer than "
            + MAX_PREFIX_BYTES
            + " bytes or holds a control character";
      }
    }
    return null;
  }

  /** A UUID in its canonical lower-case form, 8-4-4-4-12 hex digits. */
  public static boolean isAccessorId(String id) {
    if (id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !isHex(c)) {
        return false;
      }
    }
    return true;
  }

  static boolean isSha256(String hash) {
    if (hash.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      if (!isHex(hash.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  private static boolean textWithin(String text, int maxBytes) {
    if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return false;
    }
    return text.chars().noneMatch(Character::isISOControl);
  }

  /** At most 40 characters, control characters escaped: safe in a message and a log line. */
  static String shown(String value) {
    StringBuilder shown = new StringBuilder("'");
    int end = Math.min(value.length(), 40);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return shown.append(value.length() > end ? "'..." : "'").toString();
  }
}
