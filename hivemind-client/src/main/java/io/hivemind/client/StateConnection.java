package io.hivemind.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One connection to one agent's state client port (state_client.proto): the hello and its welcome,
 * then pipelined calls, answered by id in any order.
 *
 * <p>Threads: callers of {@link #call} only encode and enqueue. One writer thread takes every
 * queued request, writes them and flushes once per batch (so a burst of calls costs one system
 * call); before each request it takes one of {@code welcome.max_in_flight} permits, and flushes
 * what it wrote before it waits for one, so calls beyond the agent's bound wait in the queue, not
 * in the agent. One reader thread completes each call's future, with the reply of its id (on that
 * thread: a callback that blocks on another call of the same connection would wait for itself, so
 * {@link StateCalls} sends calls made on a reader thread over HTTP). Both threads are daemons.
 *
 * <p>Each call is claimed exactly once, by whoever removes it from {@code pending}: the reader (its
 * reply), {@link #expire} (its deadline passed) or {@link #fail} (the connection broke); the claim
 * releases its permit if the writer took one. On any I/O failure every pending call fails with
 * {@link Broken}, saying whether it was written, so that {@link StateCalls} can send it again over
 * HTTP.
 */
final class StateConnection implements AutoCloseable {

  /** Bytes in and out of one connected socket; the tests' seam (piped streams, no sockets). */
  interface Channel extends Closeable {
    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** Called once the welcome came: the socket's handshake read timeout no longer applies. */
    default void established() throws IOException {}
  }

  /** The connection broke before the call was answered: nothing came back for it. */
  static final class Broken extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean written;

    Broken(String message, boolean written, Throwable cause) {
      super(message, cause);
      this.written = written;
    }

    /** Whether the request was written (the agent may have applied it). */
    boolean written() {
      return written;
    }
  }

  /** The agent refused the hello; retrying will not help unless {@link #retryable()}. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    Refused(String agent, String reason, String sentence) {
      super("the agent at " + agent + " refused a state client: " + sentence + " (" + reason + ")");
      this.reason = reason;
    }

    String reason() {
      return reason;
    }

    /** Too many connections, or a malformed hello: another attempt may be accepted. */
    boolean retryable() {
      return reason.equals("too_many_connections") || reason.equals("malformed");
    }
  }

  private static final int QUEUED = 0;
  private static final int WRITTEN = 1;
  private static final int DONE = 2;

  /** A call: its frame, its future, and its claim state (QUEUED, WRITTEN, DONE). */
  private static final class Pending extends AtomicInteger {
    private static final long serialVersionUID = 1L;

    final transient byte[] frame;
    final transient CompletableFuture<StateReply> future = new CompletableFuture<>();
    final long id;
    final long deadlineNanos;

    Pending(long id, byte[] frame, long deadlineNanos) {
      super(QUEUED);
      this.id = id;
      this.frame = frame;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final String agent;
  private final Channel channel;
  private final DataInputStream in;
  private final OutputStream out;
  private final StateClientFrames.Welcome welcome;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Semaphore permits;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Thread reader;
  private volatile IOException failure;
  private volatile long failedAtNanos;

  private StateConnection(
      String agent,
      Channel channel,
      DataInputStream in,
      OutputStream out,
      StateClientFrames.Welcome welcome,
      Duration timeout,
      LongSupplier nanoTime) {
    this.agent = agent;
    this.channel = channel;
    this.in = in;
    this.out = out;
    this.welcome = welcome;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
    this.permits = new Semaphore(welcome.maxInFlight());
    this.writer = new Thread(this::writeLoop, "hivemind-state-writer-" + agent);
    this.reader = new ReaderThread(this::readLoop, "hivemind-state-reader-" + agent);
    writer.setDaemon(true);
    reader.setDaemon(true);
  }

  /** The reader's thread type, so that {@link #onReaderThread} can tell it from a caller's. */
  private static final class ReaderThread extends Thread {
    ReaderThread(Runnable body, String name) {
      super(body, name);
    }
  }

  /** Whether the current thread completes some connection's futures (see the class note). */
  static boolean onReaderThread() {
    return Thread.currentThread() instanceof ReaderThread;
  }

  /**
   * Sends {@code hello} on {@code channel}, waits for the agent's answer (bounded by the channel's
   * read timeout), then starts the writer and reader.
   *
   * @param agent the agent's address, for messages and thread names
   * @param hello the hello's frame, length prefix included ({@link StateClientFrames#hello})
   * @param timeout how long a call may wait for its reply
   * @throws Refused when the agent refused the hello
   * @throws IOException when the channel failed or the agent answered something else; the channel
   *     is closed
   */
  static StateConnection open(
      String agent, Channel channel, byte[] hello, Duration timeout, LongSupplier nanoTime)
      throws IOException {
    try {
      OutputStream out = new BufferedOutputStream(channel.output(), 64 << 10);
      DataInputStream in = new DataInputStream(new BufferedInputStream(channel.input(), 64 << 10));
      out.write(hello);
      out.flush();
      StateClientFrames.Answer answer = StateClientFrames.decode(readFrame(in));
      if (answer instanceof StateClientFrames.Refused refused) {
        throw new Refused(agent, refused.reason(), refused.sentence());
      }
      if (!(answer instanceof StateClientFrames.Welcome welcome)) {
        throw new IOException("the agent at " + agent + " answered a hello with " + answer);
      }
      channel.established();
      StateConnection connection =
          new StateConnection(agent, channel, in, out, welcome, timeout, nanoTime);
      connection.writer.start();
      connection.reader.start();
      return connection;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The agent's welcome. */
  StateClientFrames.Welcome welcome() {
    return welcome;
  }

  /** Whether calls may still be sent: no failure and not closed. */
  boolean isOpen() {
    return failure == null;
  }

  /** When the connection failed or was closed, by the clock it was given; 0 while open. */
  long failedAtNanos() {
    return failedAtNanos;
  }

  /** Requests written and not yet answered: at most welcome.max_in_flight. */
  int inFlight() {
    return welcome.maxInFlight() - permits.availablePermits();
  }

  /** Calls sent and not yet answered, failed or expired. */
  int pendingCalls() {
    return pending.size();
  }

  /**
   * Sends one request.
   *
   * @return completes with the reply; exceptionally with {@link Broken} when the connection is
   *     closed or breaks first (or the request is longer than the agent reads: never written), or a
   *     {@link HivemindClientException} {@code timeout} when no reply came in time
   */
  CompletableFuture<StateReply> call(StateRequest request, long routedVersion) {
    long id = ids.incrementAndGet();
    byte[] frame = StateClientFrames.request(id, request, routedVersion);
    if (frame.length - 4 > welcome.maxFrameBytes()) {
      return CompletableFuture.failedFuture(
          new Broken(
              "a request of "
                  + (frame.length - 4)
                  + " bytes is longer than the agent at "
                  + agent
                  + " reads",
              false,
              null));
    }
    Pending call = new Pending(id, frame, nanoTime.getAsLong() + timeoutNanos);
    pending.put(id, call);
    queue.add(call);
    IOException failed = failure;
    if (failed != null) {
      // Closed while this call was being added: fail() may have missed it.
      claim(call, failed);
    }
    return call.future;
  }

  /** Fails the calls whose deadline passed; called by the pool's sweeper. */
  void expire(long nowNanos) {
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending call = it.next();
      if (nowNanos - call.deadlineNanos >= 0 && pending.remove(call.id, call)) {
        release(call);
        call.future.completeExceptionally(
            new HivemindClientException(
                HivemindClientException.TIMEOUT,
                "the agent at "
                    + agent
                    + " did not answer within "
                    + Duration.ofNanos(timeoutNanos).toSeconds()
                    + " s",
                0,
                null));
      }
    }
  }

  @Override
  public void close() {
    fail(new IOException("the state client connection to " + agent + " was closed"));
  }

  private void writeLoop() {
    try {
      while (failure == null) {
        Pending first = queue.take();
        write(first);
        for (Pending next = queue.poll(); next != null; next = queue.poll()) {
          write(next);
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      // close() interrupts: fail() has done the rest.
    } catch (IOException | RuntimeException e) {
      fail(e instanceof IOException io ? io : new IOException(e));
    }
  }

  private void write(Pending call) throws IOException, InterruptedException {
    if (call.get() != QUEUED) {
      return;
    }
    if (!permits.tryAcquire()) {
      out.flush();
      permits.acquire();
    }
    if (!call.compareAndSet(QUEUED, WRITTEN)) {
      permits.release();
      return;
    }
    out.write(call.frame);
  }

  private void readLoop() {
    try {
      while (failure == null) {
        StateClientFrames.Answer answer = StateClientFrames.decode(readFrame(in));
        if (answer instanceof StateClientFrames.Reply reply) {
          Pending call = pending.remove(reply.id());
          if (call != null) {
            release(call);
            call.future.complete(reply.reply());
          }
        } else if (!(answer instanceof StateClientFrames.Unknown)) {
          throw new IOException("the agent at " + agent + " sent " + answer + " after its welcome");
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e instanceof IOException io ? io : new IOException(e));
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] prefix = new byte[4];
    in.readFully(prefix);
    byte[] frame = new byte[StateClientFrames.length(prefix, StateClientFrames.MAX_FRAME_BYTES)];
    in.readFully(frame);
    return frame;
  }

  /** Marks the connection failed (once), closes it and fails every pending call. */
  private void fail(IOException cause) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failedAtNanos = nanoTime.getAsLong();
      failure = cause;
    }
    closeQuietly(channel);
    writer.interrupt();
    for (Pending call : pending.values()) {
      claim(call, cause);
    }
    queue.clear();
  }

  private void claim(Pending call, IOException cause) {
    if (pending.remove(call.id, call)) {
      boolean written = release(call);
      call.future.completeExceptionally(
          new Broken(
              "the state client connection to " + agent + " failed: " + cause.getMessage(),
              written,
              cause));
    }
  }

  /** Marks a removed call done; releases its permit if it was written. */
  private boolean release(Pending call) {
    boolean written = call.getAndSet(DONE) == WRITTEN;
    if (written) {
      permits.release();
    }
    return written;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Already failing: the first cause is the one reported.
    }
  }
}
