package io.hivemind.server.transport;

import io.hivemind.core.catalog.WireSessionCodec;
import io.hivemind.server.catalog.CatalogSessionService;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The catalogue sessions port (docs/protocol/catalogue-sessions.md): clients of this host hold one
 * TCP connection each, framed as a 4-byte big-endian length and one {@code SessionFrame}; each
 * decoded frame goes to the {@link CatalogSessionService}. A frame over {@link
 * WireSessionCodec#MAX_FRAME_BYTES}, or a connection silent for three heartbeats, is closed.
 *
 * <p>Threads: its own event-loop group ({@code hivemind-sessions-*}). Lifecycle: {@link #bind}
 * returns it listening; {@link #close} is final and closes every client's connection.
 */
public final class CatalogSessionServer implements AutoCloseable {

  /** A host's clients are few and mostly idle: one loop accepts and serves them all. */
  private static final int LOOP_THREADS = 1;

  private final ClientListener listener;

  private CatalogSessionServer(ClientListener listener) {
    this.listener = listener;
  }

  /**
   * Listens on {@code host:port} for {@code service}'s clients. Blocks until bound.
   *
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  public static CatalogSessionServer bind(String host, int port, CatalogSessionService service) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(service, "service");
    long idleMillis = service.config().idleTimeout().toMillis();
    return new CatalogSessionServer(
        ClientListener.bind(
            "catalogue sessions",
            host,
            port,
            LOOP_THREADS,
            "hivemind-sessions",
            channel ->
                channel
                    .pipeline()
                    .addLast(new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS))
                    .addLast(
                        new LengthFieldBasedFrameDecoder(
                            WireSessionCodec.MAX_FRAME_BYTES, 0, 4, 0, 4))
                    .addLast(new LengthFieldPrepender(4))
                    .addLast(new SessionChannelHandler(service))));
  }

  /** The bound port. */
  public int port() {
    return listener.port();
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
