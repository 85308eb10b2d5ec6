package io.hivemind.client;

/**
 * The store's answer to one {@link StateRequest}, whichever protocol carried it: the outcome, and
 * the routing data that feed {@link StateRouter#observe} (the HTTP API's {@code X-Hivemind-*}
 * headers, or the binary reply's fields). Decoded once, at the edge; {@link StateMap} turns it into
 * a value or an exception.
 *
 * @param outcome what the store did
 * @param tableVersion the answering agent's partition-table version, 0 when it sent none
 * @param forwarded whether the answering agent forwarded the call to the key's owner
 */
record StateReply(Outcome outcome, long tableVersion, boolean forwarded) {

  /** What the store did, as state.proto's {@code StateOperationResult} has it. */
  sealed interface Outcome {}

  /** A get found the entry; {@code expiresAtMillis} 0 without a TTL. */
  record Found(byte[] value, long version, long expiresAtMillis) implements Outcome {}

  /** A get found no live entry. */
  record Absent() implements Outcome {}

  /** A put or compare-and-set was applied. */
  record Written(long version) implements Outcome {}

  /** A delete was applied; whether there was an entry. */
  record Deleted(boolean existed) implements Outcome {}

  /** A compare-and-set found {@code currentVersion} (0: absent). */
  record Conflict(long currentVersion, String message) implements Outcome {}

  /** The key's partition moved ahead of the call ({@code state_moved}): retry after a refresh. */
  record Moved(String message) implements Outcome {}

  /** The store could not serve the call now; {@code reason} such as {@code no_lease}. */
  record Unavailable(String reason, String message) implements Outcome {}

  /** Refused before the store saw it (ACL, a bad request), or an answer this client cannot read. */
  record Failed(HivemindClientException error) implements Outcome {}

  boolean moved() {
    return outcome instanceof Moved;
  }
}
