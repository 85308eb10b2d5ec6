package io.hivemind.core.catalog;

/**
 * The rules names and ids in the catalogue follow, checked where they enter (HTTP, the client's
 * protocol, the wire), so a replica never holds a name a DNS label or a URL path cannot carry.
 */
public final class CatalogNames {

  /** The longest service name: one DNS label (RFC 1035 2.3.4). */
  public static final int MAX_SERVICE_NAME = 63;

  /** The longest instance, owner or session id. */
  public static final int MAX_ID = 128;

  /**
   * The longest check id: an id's, with room for the maintenance checks' prefixes ({@code
   * _service_maintenance:}, {@code _node_maintenance:}) before the longest instance id.
   */
  public static final int MAX_CHECK_ID = MAX_ID + 32;

  private CatalogNames() {}

  /**
   * Checks a service name: 1–63 characters of letters, digits, '-' and '_' (Consul allows '_'
   * inside names; DNS lookups fold case).
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String requireServiceName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_SERVICE_NAME) {
      throw new IllegalArgumentException(
          "a service name has 1 to " + MAX_SERVICE_NAME + " characters: '" + name + "'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(
            "a service name takes letters, digits, '-' and '_' only: '" + name + "'");
      }
    }
    return name;
  }

  /**
   * Checks an id: 1–128 printable ASCII characters without '/' (ids appear in URL paths).
   *
   * @throws IllegalArgumentException naming what it is, the value and the rule it breaks
   */
  public static String requireId(String what, String id) {
    return requireId(what, id, MAX_ID);
  }

  /** Checks a check id: as {@link #requireId}, up to {@link #MAX_CHECK_ID} characters. */
  public static String requireCheckId(String checkId) {
    return requireId("check id", checkId, MAX_CHECK_ID);
  }

  private static String requireId(String what, String id, int maxLength) {
    if (id == null || id.isEmpty() || id.length() > maxLength) {
      throw new IllegalArgumentException(
          "a " + what + " has 1 to " + maxLength + " characters: '" + id + "'");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= ' ' || c > '~' || c == '/') {
        throw new IllegalArgumentException(
            "a "
                + what
                + " takes printable ASCII characters other than '/' and space: '"
                + id
                + "'");
      }
    }
    return id;
  }
}
