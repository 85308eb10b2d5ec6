package io.hivemind.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One map of the cluster's partitioned store (issue 13): keyed entries, each owned by one agent and
 * backed up on others, with an optional TTL, read and written at their owner.
 *
 * <pre>{@code
 * StateMap sessions = HivemindClient.forEnvironment(Environment.DEVELOPMENT).state("sessions");
 * long version = sessions.put("alice", bytes, Duration.ofMinutes(30));
 * sessions.compareAndSet("alice", version, newBytes);
 * }</pre>
 *
 * <p>Requests go straight to the key's owner: the client keeps the cluster's partition-owners table
 * (fetched from the configured agent on first use), and refreshes it when an answer shows it stale;
 * until then, and whenever the owner cannot be reached, the configured agent forwards. Calls travel
 * over the owner's binary state client connection when it announces one, else over HTTP, with the
 * same results and exceptions ({@link HivemindClient#withBinaryState}). A write is acknowledged
 * once its owner and its synchronous backups hold it. Every call has an asynchronous variant
 * completing with the same result or exceptionally with the same exception. A binary call's future
 * completes on its connection's reader thread, which serves every reply of that agent: keep
 * dependent stages short, or give them an executor ({@code thenApplyAsync(fn, executor)}).
 *
 * <p>Errors: {@link StateUnavailableException} (503: no lease, backup timeout, no owner; a write
 * that failed with {@code backup_timeout} may have been applied), {@link StateConflictException} (a
 * compare-and-set lost), and {@link HivemindClientException} for the rest (400 for a bad key, value
 * or TTL; transport failures). Thread-safe.
 */
public final class StateMap {

  private final String map;
  private final StateCalls calls;

  StateMap(String map, StateCalls calls) {
    this.map = requireMapName(map);
    this.calls = calls;
  }

  /**
   * The map's name.
   *
   * @return the name
   */
  public String name() {
    return map;
  }

  /**
   * Reads an entry at its owner; an expired entry is absent.
   *
   * @param key the key
   * @return the entry, or empty when the key is absent
   * @throws HivemindClientException when the call fails
   */
  public Optional<StateEntry> get(String key) {
    return await(getAsync(key));
  }

  /**
   * As {@link #get}, asynchronously.
   *
   * @param key the key
   * @return completes with the entry or empty
   */
  public CompletableFuture<Optional<StateEntry>> getAsync(String key) {
    return calls.call(StateRequest.get(map, requireKey(key))).thenApply(this::entry);
  }

  /**
   * Sets an entry, without a TTL.
   *
   * @param key the key
   * @param value the value, at most 1 MiB
   * @return the entry's new version
   * @throws HivemindClientException when the call fails
   */
  public long put(String key, byte[] value) {
    return await(putAsync(key, value, Duration.ZERO));
  }

  /**
   * Sets an entry that expires {@code ttl} after this write.
   *
   * @param key the key
   * @param value the value, at most 1 MiB
   * @param ttl how long the entry lives; zero for ever
   * @return the entry's new version
   * @throws HivemindClientException when the call fails
   */
  public long put(String key, byte[] value, Duration ttl) {
    return await(putAsync(key, value, ttl));
  }

  /**
   * As {@link #put(String, byte[], Duration)}, asynchronously.
   *
   * @param key the key
   * @param value the value
   * @param ttl how long the entry lives; zero for ever
   * @return completes with the new version
   */
  public CompletableFuture<Long> putAsync(String key, byte[] value, Duration ttl) {
    return write(key, value, ttl, -1);
  }

  /**
   * Sets an entry only if its version is still {@code expectedVersion}, without a TTL.
   *
   * @param key the key
   * @param expectedVersion the version the entry must have; 0 for "only if absent"
   * @param value the value
   * @return the entry's new version
   * @throws StateConflictException when the entry has another version (nothing was written)
   * @throws HivemindClientException when the call fails otherwise
   */
  public long compareAndSet(String key, long expectedVersion, byte[] value) {
    return await(compareAndSetAsync(key, expectedVersion, value, Duration.ZERO));
  }

  /**
   * Sets an entry only if its version is still {@code expectedVersion}; it expires {@code ttl}
   * after this write.
   *
   * @param key the key
   * @param expectedVersion the version the entry must have; 0 for "only if absent"
   * @param value the value
   * @param ttl how long the entry lives; zero for ever
   * @return the entry's new version
   * @throws StateConflictException when the entry has another version (nothing was written)
   * @throws HivemindClientException when the call fails otherwise
   */
  public long compareAndSet(String key, long expectedVersion, byte[] value, Duration ttl) {
    return await(compareAndSetAsync(key, expectedVersion, value, ttl));
  }

  /**
   * As {@link #compareAndSet(String, long, byte[], Duration)}, asynchronously.
   *
   * @param key the key
   * @param expectedVersion the version the entry must have; 0 for "only if absent"
   * @param value the value
   * @param ttl how long the entry lives; zero for ever
   * @return completes with the new version, or exceptionally with a {@link StateConflictException}
   */
  public CompletableFuture<Long> compareAndSetAsync(
      String key, long expectedVersion, byte[] value, Duration ttl) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be 0 or more: " + expectedVersion);
    }
    return write(key, value, ttl, expectedVersion);
  }

  /**
   * Removes an entry.
   *
   * @param key the key
   * @return whether there was an entry to remove
   * @throws HivemindClientException when the call fails
   */
  public boolean delete(String key) {
    return await(deleteAsync(key));
  }

  /**
   * As {@link #delete}, asynchronously.
   *
   * @param key the key
   * @return completes with whether there was an entry
   */
  public CompletableFuture<Boolean> deleteAsync(String key) {
    return calls
        .call(StateRequest.delete(map, requireKey(key)))
        .thenApply(
            reply -> {
              if (reply.outcome() instanceof StateReply.Deleted deleted) {
                return deleted.existed();
              }
              throw error(reply.outcome());
            });
  }

  private CompletableFuture<Long> write(String key, byte[] value, Duration ttl, long cas) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("a TTL is zero (none) or positive: " + ttl);
    }
    long ttlMillis = ttl.isZero() ? 0 : Math.max(1, ttl.toMillis());
    return calls
        .call(StateRequest.write(map, requireKey(key), value.clone(), ttlMillis, cas))
        .thenApply(
            reply -> {
              if (reply.outcome() instanceof StateReply.Written written) {
                return written.version();
              }
              throw error(reply.outcome());
            });
  }

  private Optional<StateEntry> entry(StateReply reply) {
    StateReply.Outcome outcome = reply.outcome();
    if (outcome instanceof StateReply.Found found) {
      return Optional.of(new StateEntry(found.value(), found.version(), found.expiresAtMillis()));
    }
    if (outcome instanceof StateReply.Absent) {
      return Optional.empty();
    }
    throw error(outcome);
  }

  /** The exception an outcome that is not the call's success stands for. */
  private HivemindClientException error(StateReply.Outcome outcome) {
    if (outcome instanceof StateReply.Conflict conflict) {
      return new StateConflictException(conflict.currentVersion(), conflict.message());
    }
    if (outcome instanceof StateReply.Moved moved) {
      return new StateUnavailableException(
          StateUnavailableException.MOVED,
          "moved",
          "the store cannot serve '" + map + "' now: " + moved.message());
    }
    if (outcome instanceof StateReply.Unavailable unavailable) {
      return new StateUnavailableException(
          StateUnavailableException.UNAVAILABLE,
          unavailable.reason(),
          "the store cannot serve '" + map + "' now: " + unavailable.message());
    }
    if (outcome instanceof StateReply.Failed failed) {
      return failed.error();
    }
    return new HivemindClientException(
        HivemindClientException.UNEXPECTED_RESPONSE,
        "the store answered " + outcome.getClass().getSimpleName() + " to a call on '" + map + "'",
        0,
        null);
  }

  private static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a key is 1 or more characters");
    }
    return key;
  }

  private static String requireMapName(String map) {
    Objects.requireNonNull(map, "map");
    if (map.isEmpty() || map.length() > 128 || !map.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "a map's name is 1 to 128 letters, digits, '.', '_' or '-': '" + map + "'");
    }
    return map;
  }

  /** The result of a future, its failure rethrown as the exception it carries. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HivemindClientException(
          HivemindClientException.INTERRUPTED, "interrupted while waiting for the store", 0, e);
    } catch (ExecutionException e) {
      Throwable cause = StateCalls.unwrap(e.getCause());
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new HivemindClientException(
          HivemindClientException.IO_ERROR, "the store's call failed: " + cause, 0, cause);
    }
  }
}
