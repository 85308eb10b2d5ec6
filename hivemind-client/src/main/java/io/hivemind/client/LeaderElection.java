package io.hivemind.client;

import io.hivemind.api.KvPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Campaigns for a KV key's lock until closed, as Consul's lock helpers do (docs/sessions.md): a
 * session with a TTL, renewed every half TTL; an acquire whenever the key has no holder, woken by a
 * blocking read of the key; a new session when the old one ended. While it leads it watches the key
 * the same way, so a lock taken away (the key deleted) ends its leadership at once. The listener
 * hears {@code true} when this process starts leading and {@code false} when it stops, on the
 * election's own thread.
 *
 * <p>Design note. It steps down on its own when no renewal succeeded for a whole TTL (the agent
 * unreachable, no quorum): the control plane ends the session only after twice the TTL, and keeps
 * the key from a new holder for the lock delay after that, so this process has stopped leading
 * before any other can start. That is the only guarantee a lease gives; work that must never
 * overlap also checks the key's {@code LockIndex} where it writes (a fencing token).
 *
 * <p>Thread-safe: one daemon thread does the work; {@link #isLeader} may be read from any thread.
 */
public final class LeaderElection implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LeaderElection.class.getName());

  /** How often a candidate retries while a free key's lock delay runs. */
  private static final Duration LOCK_DELAY_POLL = Duration.ofMillis(500);

  private final HivemindClient client;
  private final KvLocks locks;
  private final String key;
  private final byte[] value;
  private final Duration ttl;
  private final Duration lockDelay;
  private final Consumer<Boolean> listener;
  private final Backoff backoff = new Backoff(new SecureRandom());
  private final Thread thread;
  private volatile boolean leader;
  private volatile boolean closed;
  private String session;
  private long renewedNanos;

  private LeaderElection(
      HivemindClient client,
      String key,
      byte[] value,
      Duration ttl,
      Duration lockDelay,
      Consumer<Boolean> listener) {
    this.client = client;
    this.locks = client.locks();
    this.key = Objects.requireNonNull(key, "key");
    this.value = value.clone();
    this.ttl = ttl;
    this.lockDelay = lockDelay;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.thread = new Thread(this::campaign, "hivemind-election-" + key);
    thread.setDaemon(true);
  }

  /**
   * Starts campaigning for {@code key}.
   *
   * @param client the client whose agent the session is bound to
   * @param key the lock's key
   * @param value the key's value while this process leads (its address, say)
   * @param ttl the session's TTL, 10 s to 24 h: how long a crashed leader can hold the lock, at
   *     most twice that
   * @param lockDelay how long the key stays locked after a leader's session ended (at most 60 s)
   * @param listener hears true when this process starts leading, false when it stops
   * @return the running election; close it to step down and end its session
   */
  public static LeaderElection start(
      HivemindClient client,
      String key,
      byte[] value,
      Duration ttl,
      Duration lockDelay,
      Consumer<Boolean> listener) {
    LeaderElection election = new LeaderElection(client, key, value, ttl, lockDelay, listener);
    election.thread.start();
    return election;
  }

  /**
   * Whether this process leads now.
   *
   * @return true between the listener's true and its false
   */
  public boolean isLeader() {
    return leader;
  }

  /** Steps down (the listener hears false if it led) and destroys the session. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(HivemindClient.CHANGE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void campaign() {
    long index = 0;
    while (!closed) {
      try {
        if (session == null) {
          session = locks.createSession(key, ttl, lockDelay, false);
          renewedNanos = System.nanoTime();
        }
        renewIfDue();
        if (!leader && session != null) {
          index = tryToLead(index);
        } else if (leader) {
          index = watchWhileLeading(index);
        }
        backoff.reset();
      } catch (HivemindClientException e) {
        if (closed) {
          break;
        }
        if ("no_session".equals(e.code())) {
          lost("the session ended");
        } else {
          LOG.log(System.Logger.Level.DEBUG, "election for {0}: {1}", key, e.getMessage());
          sleep(Duration.ofMillis(Math.min(backoff.nextDelayMillis(), ttl.toMillis() / 4)));
        }
      }
      if (leader && System.nanoTime() - renewedNanos > ttl.toNanos()) {
        String stale = session;
        lost("no renewal succeeded for a whole TTL");
        destroyQuietly(stale);
      }
    }
    stepDown();
  }

  /** Takes the lock if it has no holder, else waits (at most half a TTL) for the key to change. */
  private long tryToLead(long index) {
    Indexed<Optional<KvPair>> current = client.kvWatch(key, index, ttl.dividedBy(2));
    Optional<KvPair> entry = current.value();
    boolean free = entry.isEmpty() || entry.get().session() == null;
    if (!free) {
      return current.index();
    }
    if (locks.acquire(key, value, session)) {
      leader = true;
      tell(true);
      return current.index();
    }
    // Free but refused: the key's lock delay runs, and nothing will change the key to wake a
    // blocking read. Try again shortly.
    sleep(LOCK_DELAY_POLL);
    return 0;
  }

  /**
   * Watches the key until the next renewal is due: a key deleted, or released or taken by a write
   * that is not this election's (an operator's {@code kv delete}), ends this leadership at once.
   */
  private long watchWhileLeading(long index) {
    long untilRenewal = ttl.toNanos() / 2 - (System.nanoTime() - renewedNanos);
    Indexed<Optional<KvPair>> current =
        client.kvWatch(key, index, Duration.ofNanos(Math.max(1_000_000, untilRenewal)));
    Optional<KvPair> entry = current.value();
    if (entry.isEmpty() || !session.equals(entry.get().session())) {
      LOG.log(System.Logger.Level.INFO, "election for {0}: the key no longer holds this lock", key);
      leader = false;
      tell(false);
      return 0; // campaign again at once: the key may be free now, and nothing may change it
    }
    return current.index();
  }

  private void renewIfDue() {
    if (System.nanoTime() - renewedNanos < ttl.toNanos() / 2) {
      return;
    }
    if (locks.renew(session).isEmpty()) {
      lost("the session ended");
    } else {
      renewedNanos = System.nanoTime();
    }
  }

  private void lost(String why) {
    LOG.log(System.Logger.Level.INFO, "election for {0}: {1}; campaigning again", key, why);
    session = null;
    if (leader) {
      leader = false;
      tell(false);
    }
  }

  private void stepDown() {
    // close() interrupted a call, maybe; the destroy below must not fail on the flag it left.
    Thread.interrupted();
    if (leader) {
      leader = false;
      tell(false);
      // Given back before the session ends, as Consul's Unlock does: the lock delay guards a key
      // whose holder died, not one it let go, so the next candidate need not wait it out.
      releaseQuietly();
    }
    destroyQuietly(session);
  }

  private void releaseQuietly() {
    if (session != null) {
      try {
        locks.release(key, value, session);
      } catch (HivemindClientException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "election for {0}: lock not released ({1}); the session's end releases it",
            key,
            e.getMessage());
      }
    }
  }

  /** Tells the listener; its failure is logged, never the end of the election. */
  private void tell(boolean leading) {
    try {
      listener.accept(leading);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "election for " + key + ": the listener failed", e);
    }
  }

  /** Ends a session if the agent answers; otherwise its TTL ends it. */
  private void destroyQuietly(String id) {
    if (id != null) {
      try {
        locks.destroy(id);
      } catch (HivemindClientException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "election for {0}: session not destroyed ({1}); its TTL ends it",
            key,
            e.getMessage());
      }
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      // close() interrupts: the loop sees closed and ends.
    }
  }
}
