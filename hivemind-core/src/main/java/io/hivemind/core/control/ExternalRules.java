package io.hivemind.core.control;

import io.hivemind.core.catalog.CatalogNames;
import io.hivemind.core.catalog.ServiceInstance;
import java.util.Map;

/**
 * The field rules of persistent catalogue registrations ({@code PUT /v1/catalog/register}, issue
 * 11): checked when a record is built, so a record that exists is valid, a decoded log entry that
 * breaks one is refused INVALID on every replica alike, and an instance built from a valid record
 * ({@link io.hivemind.core.catalog.ServiceInstance}) never throws. Limits follow the ephemeral
 * catalogue's where they meet it, Consul's node-meta limits elsewhere.
 *
 * <p>Stateless.
 */
public final class ExternalRules {

  /**
   * Longest external node name: a member name's characters, at most 64 so that the owner id an
   * instance of it carries ({@link #OWNER_PREFIX} + name) stays within an id's 128.
   */
  public static final int MAX_NODE_NAME_BYTES = 64;

  /** Longest node address: a DNS name's bound. */
  public static final int MAX_ADDRESS_CHARS = 255;

  /** Most node meta keys: Consul's {@code metaMaxKeyPairs}. */
  public static final int MAX_NODE_META = 64;

  /** Longest node meta key: Consul's {@code metaKeyMaxLength}. */
  public static final int MAX_META_KEY_CHARS = 128;

  /** Longest node meta value: Consul's {@code metaValueMaxLength}. */
  public static final int MAX_META_VALUE_CHARS = 512;

  /** Most tagged addresses a node has (Consul uses lan, wan, lan_ipv4...; 16 leaves room). */
  public static final int MAX_TAGGED_ADDRESSES = 16;

  /** Most checks one register command carries: as many as one instance may have. */
  public static final int MAX_CHECKS_PER_COMMAND = ServiceInstance.MAX_CHECKS;

  /** Longest check name, notes or output kept in the log. */
  public static final int MAX_CHECK_TEXT_CHARS = 4096;

  /**
   * The owner id of a persistent instance: this prefix and the node's name. A member id is a name
   * without ':', so no persistent owner is ever taken for an agent.
   */
  public static final String OWNER_PREFIX = "external:";

  private ExternalRules() {}

  static String nodeName(String name) {
    if (!ControlFieldRules.isName(name, MAX_NODE_NAME_BYTES, false)) {
      throw new IllegalArgumentException(
          "node name "
              + ControlFieldRules.shown(name)
              + " is not 1.."
              + MAX_NODE_NAME_BYTES
              + " ASCII letters, digits, '-', '_', '.' starting with a letter or digit");
    }
    return name;
  }

  static void address(String what, String address, boolean emptyAllowed) {
    if ((address.isEmpty() && !emptyAllowed)
        || address.length() > MAX_ADDRESS_CHARS
        || hasSpaceOrControl(address)) {
      throw new IllegalArgumentException(
          what
              + " "
              + ControlFieldRules.shown(address)
              + " is not "
              + (emptyAllowed ? 0 : 1)
              + ".."
              + MAX_ADDRESS_CHARS
              + " characters without spaces or control characters");
    }
  }

  static void text(String what, String text, int maxChars) {
    if (text.length() > maxChars || ControlFieldRules.hasControl(text)) {
      throw new IllegalArgumentException(
          what
              + " "
              + ControlFieldRules.shown(text)
              + " is longer than "
              + maxChars
              + " characters or has a control character");
    }
  }

  static Map<String, String> map(
      String what, Map<String, String> map, int maxEntries, int maxKey, int maxValue) {
    if (map.size() > maxEntries) {
      throw new IllegalArgumentException(
          map.size() + " " + what + " entries, more than " + maxEntries);
    }
    map.forEach(
        (key, value) -> {
          if (key.isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty key");
          }
          text(what + " key", key, maxKey);
          text(what + " value", value, maxValue);
        });
    return Map.copyOf(map);
  }

  /** A service or check id; "" only where it is optional ({@code emptyAllowed}). */
  static void id(String what, String id, boolean emptyAllowed) {
    if (!(emptyAllowed && id.isEmpty())) {
      CatalogNames.requireId(what, id);
    }
  }

  private static boolean hasSpaceOrControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || Character.isISOControl(c)) {
        return true;
      }
    }
    return false;
  }
}
