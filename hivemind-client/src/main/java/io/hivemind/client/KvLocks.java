package io.hivemind.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hivemind.api.SessionInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Consul's sessions and KV locks through one agent (docs/sessions.md): create a session, take a
 * key's lock with it, renew it while its TTL runs, give the lock back or destroy the session. The
 * usual leader election: every candidate creates a session and tries {@link #acquire}; the one that
 * gets true leads until its session ends, and the others watch the key ({@link
 * HivemindClient#kvGet}) and try again once its {@code session} is gone.
 *
 * <p>Made by {@link HivemindClient#locks()}; as thread-safe as the client.
 */
public final class KvLocks {

  private static final TypeReference<Map<String, String>> CREATED = new TypeReference<>() {};
  private static final TypeReference<List<SessionInfo>> SESSIONS = new TypeReference<>() {};

  private final HivemindClient client;

  KvLocks(HivemindClient client) {
    this.client = client;
  }

  /**
   * Creates a session bound to the agent's node ({@code PUT /v1/session/create}).
   *
   * @param name a label, maybe ""
   * @param ttl its TTL (10 s to 24 h), or {@link Duration#ZERO} for none: it then ends only when
   *     destroyed or when its node leaves the cluster
   * @param lockDelay how long a key it held is kept from others after its end (at most 60 s)
   * @param deleteKeysAtEnd whether its end deletes the keys it holds instead of releasing them
   * @return the session's id
   * @throws HivemindClientException {@code invalid_session} for a TTL or delay out of range, {@code
   *     no_quorum} without a quorum, or when the call fails
   */
  public String createSession(
      String name, Duration ttl, Duration lockDelay, boolean deleteKeysAtEnd) {
    Objects.requireNonNull(name, "name");
    Map<String, String> body = new LinkedHashMap<>();
    body.put("Name", name);
    if (!ttl.isZero()) {
      body.put("TTL", ttl.toMillis() + "ms");
    }
    body.put("LockDelay", lockDelay.toMillis() + "ms");
    body.put("Behavior", deleteKeysAtEnd ? "delete" : "release");
    return client
        .put("/v1/session/create", client.toJson(body), "session creation", CREATED)
        .get("ID");
  }

  /**
   * Renews a session's TTL ({@code PUT /v1/session/renew/ID}); call it at least every TTL.
   *
   * @param session the session's id
   * @return the session, or empty once it has ended (its locks are then gone: stop leading)
   * @throws HivemindClientException when the call fails for another reason
   */
  public Optional<SessionInfo> renew(String session) {
    try {
      List<SessionInfo> renewed =
          client.put(
              "/v1/session/renew/" + HivemindClient.segment(session),
              new byte[0],
              "session renewal",
              SESSIONS);
      return renewed.isEmpty() ? Optional.empty() : Optional.of(renewed.get(0));
    } catch (HivemindClientException e) {
      if ("no_session".equals(e.code())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Ends a session ({@code PUT /v1/session/destroy/ID}): its locks are released, or its keys
   * deleted. Ending one that has ended already succeeds.
   *
   * @param session the session's id
   * @throws HivemindClientException when the call fails
   */
  public void destroy(String session) {
    client.put(
        "/v1/session/destroy/" + HivemindClient.segment(session),
        new byte[0],
        "session destruction",
        new TypeReference<Boolean>() {});
  }

  /**
   * Every session ({@code GET /v1/session/list}), as the client's consistency mode reads it.
   *
   * @return the sessions, by id
   * @throws HivemindClientException when the call fails
   */
  public List<SessionInfo> sessions() {
    return client.controlRead("/v1/session/list", SESSIONS);
  }

  /**
   * Takes {@code key}'s lock for {@code session}, setting its value ({@code PUT
   * /v1/kv/KEY?acquire=ID}).
   *
   * @param key the key
   * @param value its value from now on
   * @param session the session's id
   * @return true when the session holds the lock now (also when it held it already), false while
   *     another session holds it or its lock delay runs
   * @throws HivemindClientException {@code no_session} when the session has ended, or when the call
   *     fails
   */
  public boolean acquire(String key, byte[] value, String session) {
    return lock(key, value, session, "acquire");
  }

  /**
   * Gives {@code key}'s lock back, setting its value ({@code PUT /v1/kv/KEY?release=ID}).
   *
   * @param key the key
   * @param value its value from now on
   * @param session the session's id
   * @return true when the session held the lock and no longer does, false when it did not hold it
   * @throws HivemindClientException as {@link #acquire}
   */
  public boolean release(String key, byte[] value, String session) {
    return lock(key, value, session, "release");
  }

  private boolean lock(String key, byte[] value, String session, String operation) {
    Objects.requireNonNull(value, "value");
    String path =
        HivemindClient.kvPath(key) + "?" + operation + "=" + HivemindClient.query(session);
    return client.put(path, value, "a lock " + operation, new TypeReference<Boolean>() {});
  }
}
