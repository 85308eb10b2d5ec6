package io.hivemind.client;

import java.net.http.HttpHeaders;

/** The partitioned store's HTTP headers (docs/protocol/state.md), and reading them leniently. */
final class StateHeaders {

  /** Request and answer: the partition table's version the sender routed by (0 = unrouted). */
  static final String TABLE_VERSION = "X-Hivemind-Table-Version";

  /** Answer: {@code true} when the agent forwarded the request to the owner. */
  static final String FORWARDED = "X-Hivemind-Forwarded";

  /** Answer: the entry's version (on a read, and the current one on a CAS conflict). */
  static final String VERSION = "X-Hivemind-Version";

  /** Answer: when the entry expires, in epoch milliseconds; absent without a TTL. */
  static final String EXPIRES = "X-Hivemind-Expires";

  private StateHeaders() {}

  /** A header's number, or {@code absent} when the header is missing or not a number. */
  static long number(HttpHeaders headers, String name, long absent) {
    String text = headers.firstValue(name).orElse("").strip();
    if (text.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return absent;
    }
  }

  static boolean forwarded(HttpHeaders headers) {
    return headers.firstValue(FORWARDED).map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
  }
}
