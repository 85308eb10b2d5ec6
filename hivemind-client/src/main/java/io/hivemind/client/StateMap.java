package io.hivemind.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemind.api.ApiError;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * until then, and whenever the owner cannot be reached, the configured agent forwards. A write is
 * acknowledged once its owner and its synchronous backups hold it. Every call has an asynchronous
 * variant completing with the same result or exceptionally with the same exception.
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
    return calls.call(map, key, "GET", path(key), null).thenApply(this::entry);
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
        .call(map, key, "DELETE", path(key), null)
        .thenApply(response -> answer(response, "deleted").asBoolean());
  }

  private CompletableFuture<Long> write(String key, byte[] value, Duration ttl, long cas) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("a TTL is zero (none) or positive: " + ttl);
    }
    StringBuilder path = new StringBuilder(path(key));
    char separator = '?';
    if (!ttl.isZero()) {
      // A Go duration, as the agent reads ?ttl= (Consul's form); milliseconds lose nothing here.
      path.append(separator).append("ttl=").append(Math.max(1, ttl.toMillis())).append("ms");
      separator = '&';
    }
    if (cas >= 0) {
      path.append(separator).append("cas=").append(cas);
    }
    return calls
        .call(map, key, "PUT", path.toString(), value.clone())
        .thenApply(response -> answer(response, "version").asLong());
  }

  private Optional<StateEntry> entry(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 404 && isStoreAnswer(response)) {
      return Optional.empty();
    }
    if (status != 200) {
      throw error(response);
    }
    long version = StateHeaders.number(response.headers(), StateHeaders.VERSION, -1);
    long expires = StateHeaders.number(response.headers(), StateHeaders.EXPIRES, 0);
    if (version < 1) {
      throw unexpected(response, "a value without a valid " + StateHeaders.VERSION + " header");
    }
    return Optional.of(new StateEntry(response.body(), version, Math.max(0, expires)));
  }

  /**
   * A 404 from the store carries the agent's table version; one without it (an agent that has no
   * store, or a proxy) is no answer about the key.
   */
  private static boolean isStoreAnswer(HttpResponse<byte[]> response) {
    return response.headers().firstValue(StateHeaders.TABLE_VERSION).isPresent();
  }

  /** A write's JSON answer's field, after turning an error status into its exception. */
  private JsonNode answer(HttpResponse<byte[]> response, String field) {
    if (response.statusCode() != 200) {
      throw error(response);
    }
    JsonNode value;
    try {
      value = calls.json().readTree(response.body()).path(field);
    } catch (IOException | RuntimeException e) {
      throw unexpected(response, "JSON this client cannot read");
    }
    if (value.isMissingNode() || value.isNull()) {
      throw unexpected(response, "no '" + field + "'");
    }
    return value;
  }

  private HivemindClientException error(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    ApiError error = calls.apiError(response);
    if (error == null) {
      return unexpected(response, "HTTP " + status + " without an API error");
    }
    if (status == 409 && StateConflictException.CODE.equals(error.error())) {
      long current = StateHeaders.number(response.headers(), StateHeaders.VERSION, 0);
      return new StateConflictException(current, error.message());
    }
    if (status == 503 && error.error().startsWith("state_")) {
      String reason =
          error.error().equals(StateUnavailableException.MOVED) ? "moved" : error.message().strip();
      return new StateUnavailableException(
          error.error(), reason, "the store cannot serve '" + map + "' now: " + error.message());
    }
    return new HivemindClientException(error.error(), error.message(), status, null);
  }

  private static HivemindClientException unexpected(HttpResponse<byte[]> response, String what) {
    return new HivemindClientException(
        HivemindClientException.UNEXPECTED_RESPONSE,
        "the agent at " + response.uri().getAuthority() + " answered " + what,
        response.statusCode(),
        null);
  }

  private String path(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a key is 1 or more characters");
    }
    return "/v1/state/" + map + "/" + segment(key);
  }

  /** Percent-encodes every character that is not unreserved, '/' included: a key is one segment. */
  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
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
