package io.hivemind.server.dns;

/**
 * A query {@link DnsWire} will not answer normally: answered with a bare {@code rcode} when it had
 * a readable id, else dropped.
 */
final class DnsRejection extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why, as the {@code reason} tag of {@code hivemind_dns_rejected_total}. */
  enum Reason {
    /** Too short for a header: no id to answer to, dropped. */
    SHORT,
    /** A response (QR set): never answered, so two servers cannot ping-pong (dropped). */
    NOT_A_QUERY,
    /** An opcode other than QUERY: NOTIMP. */
    OPCODE,
    /** Counts, names or records that do not parse: FORMERR. */
    MALFORMED
  }

  private final Reason reason;
  private final int id;

  DnsRejection(Reason reason, int id, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.id = id;
  }

  Reason reason() {
    return reason;
  }

  /** The query's id, or -1 when it has none: then nothing is sent back. */
  int id() {
    return id;
  }

  /** The rcode of the bare answer. */
  int rcode() {
    return reason == Reason.OPCODE ? DnsTypes.NOTIMP : DnsTypes.FORMERR;
  }

  boolean answered() {
    return id >= 0;
  }
}
