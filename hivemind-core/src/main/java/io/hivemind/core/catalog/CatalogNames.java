package io.hivemind.core.catalog;

/**
 * The rules names and ids in the catalogue follow, checked where they enter (HTTP, the client's
 * protocol, the wire), so a replica never holds a name a DNS label or a URL path cannot carry.
 */
public final class CatalogNames {

  /** The longest service name: one DNS label (RFC 1035 2.3.4). */
  public static final int MAX_SERVICE_NAME = 63;

  /** The longest instance, check, owner or session id. */
  public static final int MAX_ID = 128;

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
    if (id == null || id.isEmpty() || id.length() > MAX_ID) {
      throw new IllegalArgumentException(
          "a " + what + " has 1 to " + MAX_ID + " characters: '" + id + "'");
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
