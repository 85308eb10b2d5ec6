package io.hivemind.bench.kv;

/**
 * How one system takes a key-value write over HTTP: the request for key number {@code n}, and
 * whether an answer acknowledges it. One implementation a system, so the load driver is the same
 * for all of them.
 */
interface KvWriteTarget {

  /** The system's name, as printed in the figures. */
  String name();

  /** The key written for key number {@code keyNumber}: {@code bench/<n>}, the same for all. */
  static String key(long keyNumber) {
    return "bench/" + keyNumber;
  }

  /** Answers' bodies in error reasons: quoted, and cut where a stack trace or page would go on. */
  static String abbreviate(String body) {
    int limit = 60;
    return body.length() <= limit ? "'" + body + "'" : "'" + body.substring(0, limit) + "...'";
  }

  /** The request writing {@code value} under key number {@code keyNumber}. */
  KvRequest request(long keyNumber, byte[] value);

  /** Null when the answer acknowledges the write; otherwise a short reason, to count errors by. */
  String refusal(int status, String body);
}
