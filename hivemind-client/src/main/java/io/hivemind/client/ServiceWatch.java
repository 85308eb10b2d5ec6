package io.hivemind.client;

import io.hivemind.api.Environment;
import io.hivemind.api.ServiceEntry;
import io.hivemind.api.WellKnownPorts;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one service as a stream of changes: a blocking query on an agent's replica, answered when
 * the service changes there, passed to a listener as a {@link ServiceChange} (issue 11: "watch a
 * service as a stream of changes").
 *
 * <p>Given several agents (the host's instance 0 and 1), it follows the first and moves to the next
 * when a query fails, at once; when every agent failed in a row it backs off exponentially with
 * jitter, capped at {@link Backoff#CAP 5 minutes}, as the session does. Indexes belong to one
 * agent's replica, so a move starts that agent's stream from a full read and the listener sees only
 * what differs from the last step it got: a failover between two agents holding the same replica
 * costs the listener nothing. An index that goes back (the agent restarted) starts over the same
 * way.
 *
 * <p>One daemon thread ({@code hivemind-watch-NAME}) runs the queries and calls the listener, so a
 * listener must not block for long. A listener that throws is caught (see {@link #lastFailure()})
 * and the watch goes on: one bad callback must not end the stream. {@link #close()} ends it.
 */
public final class ServiceWatch implements AutoCloseable {

  /** Each blocking query's wait: long, since the agent answers at once on a change. */
  public static final Duration WAIT = Duration.ofMinutes(5);

  private final List<HivemindClient> agents;
  private final String service;
  private final boolean passingOnly;
  private final Consumer<ServiceChange> listener;
  private final Duration wait;
  private final Backoff backoff;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile Throwable lastFailure;

  private ServiceWatch(
      List<HivemindClient> agents,
      String service,
      boolean passingOnly,
      Duration wait,
      Consumer<ServiceChange> listener,
      Random random) {
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("a watch needs at least one agent");
    }
    this.agents = List.copyOf(agents);
    this.service = Objects.requireNonNull(service, "service");
    this.passingOnly = passingOnly;
    this.wait = Objects.requireNonNull(wait, "wait");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.backoff = new Backoff(random);
    this.thread = new Thread(this::run, "hivemind-watch-" + service);
    this.thread.setDaemon(true);
  }

  /**
   * Starts following {@code service} through {@code agents}, in order of preference.
   *
   * @param agents the agents to ask, the preferred first; the next is tried when one fails
   * @param service the service's name
   * @param passingOnly whether to keep passing instances only
   * @param listener called on the watch's thread with the first answer, then with each change
   * @return the running watch
   */
  public static ServiceWatch start(
      List<HivemindClient> agents,
      String service,
      boolean passingOnly,
      Consumer<ServiceChange> listener) {
    return start(agents, service, passingOnly, WAIT, listener);
  }

  /**
   * As {@link #start(List, String, boolean, Consumer)}, with each query's wait given.
   *
   * @param agents the agents to ask, the preferred first
   * @param service the service's name
   * @param passingOnly whether to keep passing instances only
   * @param wait how long each blocking query may wait (at most 10 minutes)
   * @param listener called with the first answer, then with each change
   * @return the running watch
   */
  public static ServiceWatch start(
      List<HivemindClient> agents,
      String service,
      boolean passingOnly,
      Duration wait,
      Consumer<ServiceChange> listener) {
    ServiceWatch watch =
        new ServiceWatch(agents, service, passingOnly, wait, listener, new Random());
    watch.thread.start();
    return watch;
  }

  /**
   * Follows {@code service} through this host's agents of {@code environment}: instance 0, then 1,
   * on their well-known HTTP ports.
   *
   * @param environment the environment whose agents to ask
   * @param service the service's name
   * @param passingOnly whether to keep passing instances only
   * @param listener called with the first answer, then with each change
   * @return the running watch
   */
  public static ServiceWatch onHost(
      Environment environment,
      String service,
      boolean passingOnly,
      Consumer<ServiceChange> listener) {
    List<HivemindClient> agents = new ArrayList<>();
    for (int instance = 0; instance < WellKnownPorts.INSTANCES; instance++) {
      int port = new WellKnownPorts(environment, instance).http();
      agents.add(HivemindClient.connect(URI.create("http://127.0.0.1:" + port)));
    }
    return start(agents, service, passingOnly, listener);
  }

  /**
   * The last failure of a query, kept for diagnostics; null while every query worked.
   *
   * @return the failure, or null
   */
  public Throwable lastFailure() {
    return lastFailure;
  }

  /** Stops the watch and waits up to a second for its thread; the listener is not called again. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      stopped.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      follow();
    } finally {
      stopped.countDown();
    }
  }

  private void follow() {
    List<ServiceEntry> shown = List.of();
    boolean first = true;
    int current = 0;
    int failuresInARow = 0;
    long index = 0;
    while (!closed) {
      HivemindClient agent = agents.get(current);
      Indexed<List<ServiceEntry>> answer;
      try {
        answer = agent.watch(service, passingOnly, index, wait);
      } catch (HivemindClientException e) {
        if (closed) {
          return;
        }
        lastFailure = e;
        index = 0; // the next agent's indexes are its own
        current = (current + 1) % agents.size();
        if (++failuresInARow >= agents.size() && !pause(backoff.nextDelayMillis())) {
          return;
        }
        continue;
      }
      failuresInARow = 0;
      backoff.reset();
      // An index that went back (the agent restarted) is read again from the start (Consul's rule).
      index = answer.index() < index ? 0 : answer.index();
      ServiceChange change =
          ServiceChanges.between(service, shown, answer.value(), answer.index(), agent.agent());
      shown = answer.value();
      if ((first || !change.isEmpty()) && !closed) {
        first = false;
        deliver(change);
      }
    }
  }

  private void deliver(ServiceChange change) {
    try {
      listener.accept(change);
    } catch (RuntimeException e) {
      // One failing callback must not end the stream the caller relies on; it sees the next one.
      lastFailure = e;
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
