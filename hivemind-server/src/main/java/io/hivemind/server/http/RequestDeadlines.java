package io.hivemind.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Deadlines for a request to arrive, on one connection: its request line and headers (the head)
 * within the head timeout, then its body within the body timeout, however the bytes trickle. The
 * idle timeout cannot do this: each byte resets it, so a client that sends one header byte every
 * minute (slowloris) would hold its connection forever. A request that misses its deadline is
 * answered 408 {@code request_timeout} and the connection closed (a few hundred bytes written once,
 * not waited for: {@link ClosingAnswers}), and counted.
 *
 * <p>When the clock runs: the first request's head from the moment the connection opens (a client
 * that connects and sends nothing is cut as one that trickles); a later request's head from its
 * first byte (between requests an idle keep-alive connection waits only for the idle timeout); a
 * body from the end of its head. While the API answers a request the connection reads nothing, so
 * no deadline runs then. A request that arrives in the same read as the end of the one before
 * starts its clock with the next bytes read; until then only the idle timeout bounds it.
 *
 * <p>Two handlers share this state: {@link #bytesIn} sits in front of the HTTP codec and sees bytes
 * arrive, {@link #requestsIn} behind it and sees heads and bodies complete. Owning thread: the
 * connection's event loop.
 */
final class RequestDeadlines {

  /** What every connection of one API shares: the timeouts, the answers, the counters. */
  static final class Timeouts {

    private final long headNanos;
    private final long bodyNanos;
    private final byte[] headAnswer;
    private final byte[] bodyAnswer;
    private final HttpApiStats stats;

    Timeouts(Duration head, Duration body, HttpApiStats stats) {
      this.headNanos = head.toNanos();
      this.bodyNanos = body.toNanos();
      this.headAnswer = timeoutAnswer("the request line and headers", head);
      this.bodyAnswer = timeoutAnswer("the request body", body);
      this.stats = stats;
    }

    /** Deadlines for one new connection. */
    RequestDeadlines newConnection() {
      return new RequestDeadlines(this);
    }

    private static byte[] timeoutAnswer(String what, Duration timeout) {
      return ClosingAnswers.encode(
          408,
          "Request Timeout",
          "",
          "request_timeout",
          what + " did not arrive within " + Completions.text(timeout));
    }
  }

  /** What the connection waits for. */
  private enum Phase {
    /** No request begun: only the idle timeout runs. */
    BETWEEN_REQUESTS,
    HEAD,
    BODY
  }

  private final Timeouts timeouts;
  private final Runnable headExpired = () -> expire(Phase.HEAD);
  private final Runnable bodyExpired = () -> expire(Phase.BODY);
  private ChannelHandlerContext bytesContext;
  private Phase phase = Phase.BETWEEN_REQUESTS;
  private ScheduledFuture<?> deadline;

  private RequestDeadlines(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  /** The handler that goes in front of the HTTP codec. */
  ChannelHandler bytesIn() {
    return new BytesIn();
  }

  /** The handler that goes right behind the HTTP codec. */
  ChannelHandler requestsIn() {
    return new RequestsIn();
  }

  private void start(Phase next) {
    cancel();
    if (!bytesContext.channel().isActive()) {
      return; // The codec hands on what it held when the connection closed: nothing to time.
    }
    phase = next;
    long nanos = next == Phase.HEAD ? timeouts.headNanos : timeouts.bodyNanos;
    Runnable expired = next == Phase.HEAD ? headExpired : bodyExpired;
    deadline = bytesContext.executor().schedule(expired, nanos, TimeUnit.NANOSECONDS);
  }

  private void between() {
    cancel();
    phase = Phase.BETWEEN_REQUESTS;
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expire(Phase expected) {
    if (phase != expected || !bytesContext.channel().isActive()) {
      return; // A stale timer: the phase moved on as the timer fired.
    }
    deadline = null;
    phase = Phase.BETWEEN_REQUESTS;
    boolean head = expected == Phase.HEAD;
    LongAdder counter = head ? timeouts.stats.headTimeouts : timeouts.stats.bodyTimeouts;
    counter.increment();
    ClosingAnswers.writeAndClose(bytesContext, head ? timeouts.headAnswer : timeouts.bodyAnswer);
  }

  /** In front of the codec: the connection's start, and the first bytes of a later request. */
  private final class BytesIn extends ChannelInboundHandlerAdapter {

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      bytesContext = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      start(Phase.HEAD);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (phase == Phase.BETWEEN_REQUESTS && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        start(Phase.HEAD);
      }
      ctx.fireChannelRead(msg);
    }

    /** A closed connection keeps no timer, so nothing of it outlives it. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      between();
      ctx.fireChannelInactive();
    }
  }

  /** Behind the codec: a head complete (its body's clock starts), a body complete. */
  private final class RequestsIn extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      // A message the codec rejected is both at once (a full request): answered and closed next.
      if (msg instanceof HttpRequest) {
        start(Phase.BODY);
      }
      if (msg instanceof LastHttpContent) {
        between();
      }
      ctx.fireChannelRead(msg);
    }
  }
}
