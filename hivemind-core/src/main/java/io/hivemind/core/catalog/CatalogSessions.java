package io.hivemind.core.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The client sessions one agent owns (issue 11): a session is attached to one connection at a time;
 * when that connection goes, the session lives on for a grace period, and a client that comes back
 * with the session's id and secret within it resumes the session with its instances. A session not
 * resumed in time has expired: its owner then deletes its instances ({@link
 * OwnerLedger#removeSession}).
 *
 * <p>Every attachment gets a connection number, so that the late close of a connection the session
 * has already moved away from (a client that reconnected before the agent noticed its old socket
 * was gone) does not start the grace of the session's new connection.
 *
 * <p>Pure and single-threaded: time comes in as {@code nowMillis}, randomness from the {@link
 * Random} given (a {@code SecureRandom} in the agent, as secrets must not be guessable).
 */
public final class CatalogSessions {

  /**
   * How long a session outlives its connection. Long enough for a client to notice a dead
   * connection and reconnect (a heartbeat or two, {@link #DEFAULT_HEARTBEAT}) or fail over to the
   * host's other agent; short enough that a crashed client's instances go quickly (issue 11: "a few
   * seconds").
   */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  /**
   * How often clients ping: a third of the grace, so two lost pings still leave time to reconnect
   * before the session expires.
   */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(1_500);

  /**
   * Sessions one agent holds: one per client process on the host, so a thousand is already many;
   * ten thousand bounds what a misbehaving client that never resumes can make the agent hold.
   */
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  /** What a hello led to. */
  public sealed interface Attach {
    /** The session the connection now carries and its connection number. */
    record Attached(SessionCredentials credentials, long connection, boolean resumed)
        implements Attach {}

    /** No room for another session. */
    record Full(int max) implements Attach {}
  }

  private static final class Session {
    final SessionCredentials credentials;
    long connection;
    long disconnectedAtMillis = -1;

    Session(SessionCredentials credentials, long connection) {
      this.credentials = credentials;
      this.connection = connection;
    }
  }

  private final Random random;
  private final long graceMillis;
  private final int maxSessions;
  private final String idPrefix;
  private final Map<String, Session> sessions = new HashMap<>();
  private long nextConnection = 1;
  private long nextId = 1;

  /**
   * @param random the source of session secrets
   * @param grace how long a session outlives its connection
   * @param maxSessions the most sessions held at once
   * @param idPrefix starts every session id (the agent's name), so ids are unique in the cluster
   */
  public CatalogSessions(Random random, Duration grace, int maxSessions, String idPrefix) {
    this.random = Objects.requireNonNull(random, "random");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
    }
    this.graceMillis = grace.toMillis();
    this.maxSessions = maxSessions;
    this.idPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
  }

  public long graceMillis() {
    return graceMillis;
  }

  /**
   * A client said hello: resumes {@code resume} when this agent holds it and the secret matches,
   * whether it is disconnected or still attached to an older connection (which loses it); otherwise
   * opens a new session.
   */
  public Attach attach(SessionCredentials resume) {
    Session held = resume.isNone() ? null : sessions.get(resume.id());
    if (held != null && held.credentials.matches(resume)) {
      held.connection = nextConnection++;
      held.disconnectedAtMillis = -1;
      return new Attach.Attached(held.credentials, held.connection, true);
    }
    if (sessions.size() >= maxSessions) {
      return new Attach.Full(maxSessions);
    }
    byte[] secret = new byte[SessionMessage.SECRET_BYTES];
    random.nextBytes(secret);
    String id = idPrefix + "-s" + nextId++ + "-" + Long.toHexString(random.nextLong() >>> 16);
    Session session = new Session(new SessionCredentials(id, secret), nextConnection++);
    sessions.put(id, session);
    return new Attach.Attached(session.credentials, session.connection, false);
  }

  /**
   * Connection {@code connection} of session {@code id} closed at {@code nowMillis}: the grace
   * starts, unless the session has moved to a newer connection (or is gone).
   *
   * @return true when the grace started
   */
  public boolean disconnected(String id, long connection, long nowMillis) {
    Session session = sessions.get(id);
    if (session == null || session.connection != connection || session.disconnectedAtMillis >= 0) {
      return false;
    }
    session.disconnectedAtMillis = nowMillis;
    return true;
  }

  /** True while the session is held and {@code connection} is the one it is attached to. */
  public boolean isAttached(String id, long connection) {
    Session session = sessions.get(id);
    return session != null && session.connection == connection && session.disconnectedAtMillis < 0;
  }

  /** Removes and returns the sessions whose grace has run out by {@code nowMillis}. */
  public List<String> expire(long nowMillis) {
    List<String> expired = new ArrayList<>();
    sessions
        .values()
        .removeIf(
            session -> {
              boolean over =
                  session.disconnectedAtMillis >= 0
                      && nowMillis - session.disconnectedAtMillis >= graceMillis;
              if (over) {
                expired.add(session.credentials.id());
              }
              return over;
            });
    expired.sort(null);
    return expired;
  }

  /** When the next disconnected session expires, if any does. */
  public Optional<Long> nextExpiryMillis() {
    long next = Long.MAX_VALUE;
    for (Session session : sessions.values()) {
      if (session.disconnectedAtMillis >= 0) {
        next = Math.min(next, session.disconnectedAtMillis + graceMillis);
      }
    }
    return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(next);
  }

  public int size() {
    return sessions.size();
  }

  public boolean contains(String id) {
    return sessions.containsKey(id);
  }
}
