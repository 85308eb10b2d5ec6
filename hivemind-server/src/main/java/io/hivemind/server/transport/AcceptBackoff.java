package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of a listening socket (a {@code ServerBootstrap}'s {@code handler}) that turns a
 * failed accept into a pause and one log line per interval. Every listener of the agent has one:
 * gossip's TCP port and the HTTP API's.
 *
 * <p>Why: when the process runs out of file descriptors ({@code EMFILE}), {@code accept} fails
 * while the connection stays queued, so the socket is at once ready again. Netty's own acceptor
 * pauses accepting for a second, then passes the exception on to the end of the pipeline, where it
 * is logged with its stack trace: one stack trace per listener per second for as long as the
 * descriptors are short (the issue "Hostile and careless users" saw three a second, from three
 * agents). This handler sits in front of Netty's acceptor and takes the exception instead: it
 * counts it, stops accepting for {@link #PAUSE} (the kernel keeps queuing connections meanwhile, up
 * to the listen backlog) and logs through a {@link RateLimitedLog}, one line per interval with the
 * count it left out, without a stack trace (the cause's message says it all).
 *
 * <p>Runs on the listener's event loop; one instance per listening socket.
 */
public final class AcceptBackoff extends ChannelInboundHandlerAdapter {

  /**
   * Netty's acceptor pauses for 1 s too (netty/netty#1328): long enough that a loop short of
   * descriptors does not spin, short enough that accepting resumes soon after they are back.
   */
  public static final Duration PAUSE = Duration.ofSeconds(1);

  private static final Logger logger = LoggerFactory.getLogger(AcceptBackoff.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);

  private final String listener;
  private final Runnable countError;

  /**
   * Made before it is needed: when descriptors have run out, even loading a class can fail (a jar
   * not yet open), and then accepting would never resume.
   */
  private Runnable resume;

  /**
   * @param listener what listens, for the log line: {@code "HTTP API"}, {@code "gossip TCP"}
   * @param countError called once per failed accept (the listener's counter)
   */
  public AcceptBackoff(String listener, Runnable countError) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.countError = Objects.requireNonNull(countError, "countError");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    resume = () -> ctx.channel().config().setAutoRead(true);
  }

  /** A failed accept: counted, paused, logged at most once an interval; not passed on. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    countError.run();
    boolean pausing = ctx.channel().config().isAutoRead();
    if (pausing) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(resume, PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.warn(
        ctx.executor().ticker().nanoTime(),
        listener + " " + ctx.channel().localAddress(),
        "{} on {} cannot accept connections: {}; accepting again in {} ms",
        listener,
        ctx.channel().localAddress(),
        cause.toString(),
        PAUSE.toMillis());
  }
}
