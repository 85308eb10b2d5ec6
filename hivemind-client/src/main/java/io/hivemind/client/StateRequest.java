package io.hivemind.client;

/**
 * One call on the partitioned store, before it is sent: what both protocols carry (the HTTP API's
 * method, path and query, or state.proto's {@code StateOperation}). Values are not copied: {@link
 * StateMap} copies the caller's bytes once, when it makes the request.
 *
 * @param kind the operation
 * @param map the map's name
 * @param key the key
 * @param value the value of a put or compare-and-set, else empty
 * @param ttlMillis the entry's TTL in milliseconds, 0 for none
 * @param expectedVersion the version a compare-and-set expects (0: absent), else 0
 */
record StateRequest(
    Kind kind, String map, String key, byte[] value, long ttlMillis, long expectedVersion) {

  private static final byte[] NONE = new byte[0];

  /** The operations, numbered as state.proto's {@code StateOpKind}. */
  enum Kind {
    GET(1, "GET"),
    PUT(2, "PUT"),
    DELETE(3, "DELETE"),
    COMPARE_AND_SET(4, "PUT");

    final int wire;
    final String httpMethod;

    Kind(int wire, String httpMethod) {
      this.wire = wire;
      this.httpMethod = httpMethod;
    }
  }

  static StateRequest get(String map, String key) {
    return new StateRequest(Kind.GET, map, key, NONE, 0, 0);
  }

  static StateRequest delete(String map, String key) {
    return new StateRequest(Kind.DELETE, map, key, NONE, 0, 0);
  }

  /** A put when {@code expectedVersion} is negative, else a compare-and-set. */
  static StateRequest write(
      String map, String key, byte[] value, long ttlMillis, long expectedVersion) {
    return expectedVersion < 0
        ? new StateRequest(Kind.PUT, map, key, value, ttlMillis, 0)
        : new StateRequest(Kind.COMPARE_AND_SET, map, key, value, ttlMillis, expectedVersion);
  }
}
