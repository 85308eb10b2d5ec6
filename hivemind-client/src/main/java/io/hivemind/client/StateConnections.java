package io.hivemind.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The binary state client connections of one {@link HivemindClient}: at most one per agent address,
 * made lazily on a daemon thread (a caller never waits for a connect: until the welcome came, and
 * while an address is down, {@link #get} answers null and the call goes over HTTP as before), and
 * made again after a failure with {@link Backoff}'s delays. An agent that refused the hello for a
 * reason retrying will not fix (another environment or cluster, ACL, version) is not dialled again.
 * One daemon sweeper fails calls whose reply is overdue.
 *
 * <p>Thread-safe: any thread asks for a connection; each address's slot is guarded by its lock.
 */
final class StateConnections implements AutoCloseable {

  /** Opens a connected channel to an agent; a socket in production, streams in the tests. */
  @FunctionalInterface
  interface Dialer {
    StateConnection.Channel dial(InetSocketAddress address) throws IOException;
  }

  /** What the hello says: learned once from the configured agent ({@code GET /v1/agent/self}). */
  record Hello(String environment, String cluster, String clientName, String token) {}

  private static final System.Logger LOG = System.getLogger(StateConnections.class.getName());

  /** How often overdue calls are looked for: a tenth of a second late at most. */
  static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

  /** Runs each connect on a daemon thread of its own: a connect blocks for up to seconds. */
  static final Executor DAEMON_THREADS =
      connect -> {
        Thread thread = new Thread(connect, "hivemind-state-connect");
        thread.setDaemon(true);
        thread.start();
      };

  private final Supplier<CompletableFuture<Hello>> hello;
  private final Dialer dialer;
  private final Executor connector;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Random random;

  /** By address as the table holds it (unresolved: equal by host name and port). */
  private final Map<InetSocketAddress, Slot> slots = new ConcurrentHashMap<>();

  private volatile boolean closed;

  // Guarded by this.
  private CompletableFuture<Hello> helloFetch;
  private Thread sweeper;

  /**
   * @param hello fetches what the hello says; asked once, again only after it failed
   * @param dialer opens channels
   * @param connector runs connects ({@link #DAEMON_THREADS}; the tests' runs them inline)
   * @param timeout how long a call waits for its reply
   * @param nanoTime a monotonic clock
   * @param random the backoff's jitter
   */
  StateConnections(
      Supplier<CompletableFuture<Hello>> hello,
      Dialer dialer,
      Executor connector,
      Duration timeout,
      LongSupplier nanoTime,
      Random random) {
    this.hello = hello;
    this.dialer = dialer;
    this.connector = connector;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.random = random;
  }

  /** A socket to {@code address}, with the client's connect timeout and no Nagle delay. */
  static Dialer sockets(Duration connectTimeout, Duration handshakeTimeout) {
    return address -> {
      Socket socket = new Socket();
      try {
        // Resolved here, on the connecting thread: the table holds names unresolved.
        socket.connect(
            new InetSocketAddress(address.getHostString(), address.getPort()),
            (int) connectTimeout.toMillis());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) handshakeTimeout.toMillis());
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      return new StateConnection.Channel() {
        @Override
        public InputStream input() throws IOException {
          return socket.getInputStream();
        }

        @Override
        public OutputStream output() throws IOException {
          return socket.getOutputStream();
        }

        @Override
        public void established() throws IOException {
          // Replies may be seconds apart on an idle connection; the sweeper bounds each call.
          socket.setSoTimeout(0);
        }

        @Override
        public void close() throws IOException {
          socket.close();
        }
      };
    };
  }

  /**
   * The open connection to {@code address}, or null when there is none now; then starts a connect
   * unless one is running, the address is backing off, or it refused for good.
   */
  StateConnection get(InetSocketAddress address) {
    if (closed) {
      return null;
    }
    Slot slot = slots.get(address);
    if (slot == null) {
      slot = slots.computeIfAbsent(address, Slot::new);
    }
    StateConnection connection = slot.connection;
    if (connection != null && connection.isOpen()) {
      return connection;
    }
    slot.maybeConnect();
    // A connector that ran inline (the tests') has made it already.
    connection = slot.connection;
    return connection != null && connection.isOpen() ? connection : null;
  }

  @Override
  public void close() {
    closed = true;
    Thread sweeping;
    synchronized (this) {
      sweeping = sweeper;
    }
    if (sweeping != null) {
      sweeping.interrupt();
    }
    for (Slot slot : slots.values()) {
      slot.closeConnection();
    }
  }

  private static String key(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private synchronized CompletableFuture<Hello> hello() {
    if (helloFetch == null || helloFetch.isCompletedExceptionally()) {
      helloFetch = hello.get();
    }
    return helloFetch;
  }

  private synchronized void startSweeper() {
    if (sweeper != null || closed) {
      return;
    }
    sweeper = new Thread(this::sweep, "hivemind-state-timeouts");
    sweeper.setDaemon(true);
    sweeper.start();
  }

  private void sweep() {
    try {
      while (!closed) {
        TimeUnit.NANOSECONDS.sleep(SWEEP_INTERVAL.toNanos());
        long now = nanoTime.getAsLong();
        for (Slot slot : slots.values()) {
          StateConnection connection = slot.connection;
          if (connection != null) {
            connection.expire(now);
          }
        }
      }
    } catch (InterruptedException e) {
      // close(): the connections fail their own calls.
    }
  }

  /** One address: its connection, its connect in progress, its backoff. */
  private final class Slot {
    private final InetSocketAddress address;
    private final Backoff backoff = new Backoff(random);
    private volatile StateConnection connection;

    // Guarded by this.
    private boolean connecting;
    private boolean refusedForGood;
    private long retryAtNanos;
    private boolean retryAtSet;

    Slot(InetSocketAddress address) {
      this.address = address;
    }

    synchronized void maybeConnect() {
      if (connecting || refusedForGood || closed) {
        return;
      }
      long now = nanoTime.getAsLong();
      StateConnection broken = connection;
      if (broken != null) {
        // It was open and failed: its calls fell back to HTTP; try again a delay after the failure.
        connection = null;
        backOff(broken.failedAtNanos());
      }
      if (retryAtSet && now - retryAtNanos < 0) {
        return;
      }
      connecting = true;
      connector.execute(this::connect);
    }

    private void backOff(long now) {
      retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMillis());
      retryAtSet = true;
    }

    private void connect() {
      StateConnection opened = null;
      IOException failure = null;
      try {
        Hello said = hello().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        byte[] frame =
            StateClientFrames.hello(
                said.environment(), said.cluster(), said.clientName(), said.token());
        opened = StateConnection.open(key(address), dialer.dial(address), frame, timeout, nanoTime);
      } catch (IOException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IOException("interrupted", e);
      } catch (Exception e) {
        // The hello's facts could not be fetched (the configured agent is down): later, maybe.
        failure = new IOException("cannot learn the agent's environment: " + e, e);
      }
      synchronized (this) {
        connecting = false;
        if (opened != null) {
          if (closed) {
            opened.close();
            return;
          }
          connection = opened;
          backoff.reset();
          retryAtSet = false;
        } else {
          if (failure instanceof StateConnection.Refused refused && !refused.retryable()) {
            refusedForGood = true;
            // Said once per address: the calls keep working over HTTP, so nothing else would.
            LOG.log(
                System.Logger.Level.WARNING,
                refused.getMessage() + "; calls to it go over HTTP from now on");
          }
          backOff(nanoTime.getAsLong());
        }
      }
      if (opened != null) {
        startSweeper();
      }
    }

    synchronized void closeConnection() {
      StateConnection open = connection;
      if (open != null) {
        open.close();
      }
    }
  }
}
