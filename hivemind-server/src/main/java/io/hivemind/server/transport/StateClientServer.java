package io.hivemind.server.transport;

import io.hivemind.core.state.WireStateClientCodec;
import io.hivemind.server.loop.DriverLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state client port (docs/protocol/state-client.md; {@code WellKnownPorts.stateClient()}):
 * routing clients hold one TCP connection to each agent they send keys to, framed as a 4-byte
 * big-endian length and one {@code StateClientFrame}, and pipeline their requests on it. Each
 * connection is served by a {@link StateClientHandler}; a frame over {@link
 * WireStateClientCodec#MAX_FRAME_BYTES}, or a connection that says no hello within {@link
 * #HELLO_TIMEOUT_MILLIS}, is closed, and so is the connection beyond {@link #MAX_CONNECTIONS}
 * (refused TOO_MANY_CONNECTIONS).
 *
 * <p>Threads: its own event-loop group ({@code hivemind-state-clients-*}). Lifecycle: {@link #bind}
 * returns it listening; {@link #close} is final and closes every client's connection.
 */
public final class StateClientServer implements AutoCloseable {

  /**
   * Two loops: a routing client holds one busy connection per agent, and a host of several such
   * clients keeps both cores of a small machine busy; decoding and encoding are all they do.
   */
  private static final int LOOP_THREADS = 2;

  /** Connections one agent serves: each costs buffers and a bounded in-flight set. */
  public static final int MAX_CONNECTIONS = 4096;

  /** A client says hello as soon as it connects; a silent connection is a leak or a probe. */
  public static final long HELLO_TIMEOUT_MILLIS = 10_000;

  private final StateClientStats stats;
  private final ClientListener listener;

  private StateClientServer(StateClientStats stats, ClientListener listener) {
    this.stats = stats;
    this.listener = listener;
  }

  /**
   * Listens on {@code host:port} (0: a port the system picks) for {@code context}'s clients. Blocks
   * until bound.
   *
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  public static StateClientServer bind(String host, int port, StateClientContext context) {
    return bind(host, port, context, null);
  }

  /**
   * As {@link #bind(String, int, StateClientContext)}, with every client channel on {@code loop}
   * when it is one of {@link GossipLoops}' (the store's driver loop: a request reaches the store
   * and its answer the channel without waking another thread); null or another loop: loops of its
   * own.
   */
  public static StateClientServer bind(
      String host, int port, StateClientContext context, DriverLoop loop) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(context, "context");
    StateClientStats stats = new StateClientStats();
    Consumer<SocketChannel> pipeline =
        channel ->
            channel
                .pipeline()
                .addLast(
                    StateClientHandler.HELLO_TIMEOUT,
                    new ReadTimeoutHandler(HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .addLast(
                    new LengthFieldBasedFrameDecoder(
                        // the limit counts the 4-byte prefix too
                        WireStateClientCodec.MAX_FRAME_BYTES + 4, 0, 4, 0, 4))
                .addLast(new StateClientHandler(context, stats, MAX_CONNECTIONS));
    ClientListener listener =
        loop instanceof NettyDriverLoop shared
            ? ClientListener.bindOn("state client", host, port, shared.eventLoop(), pipeline)
            : ClientListener.bind(
                "state client", host, port, LOOP_THREADS, "hivemind-state-clients", pipeline);
    return new StateClientServer(stats, listener);
  }

  /** The bound port. */
  public int port() {
    return listener.port();
  }

  /** The port's counters. */
  public StateClientStats stats() {
    return stats;
  }

  /** Accepts that failed (the listener paused, as {@link AcceptBackoff} does). */
  public long acceptErrors() {
    return listener.acceptErrors();
  }

  @Override
  public void close() {
    listener.close();
  }
}
