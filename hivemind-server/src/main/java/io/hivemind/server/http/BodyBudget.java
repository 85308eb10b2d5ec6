package io.hivemind.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * One budget for the large request bodies every connection of the API is receiving at once (those
 * over the API's general limit: a store's values). Without it, each connection may hold its largest
 * body while it arrives (up to 1 MiB for a partitioned-state value): 256 slow uploads are 256 MiB
 * of direct buffers, the JVM's whole direct-memory limit on a plain agent, which gossip's buffers
 * share. A request whose body does not fit in what is left is answered 503 {@code too_many_uploads}
 * and its connection closed before any of the body is kept.
 *
 * <p>The reservation is the body's Content-Length, or its path's whole limit when the body is
 * chunked; it is given back when the body's last part has arrived (the aggregator then hands the
 * request on, and its handler is done with it in moments) or when the connection closes first. One
 * {@link Ledger} per API; one handler per connection, in front of {@link BodyLimit}.
 */
final class BodyBudget extends ChannelInboundHandlerAdapter {

  /** The bytes of bodies being received across every connection of one API. */
  static final class Ledger {
    private final long maxBytes;
    private final AtomicLong reserved = new AtomicLong();

    Ledger(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    boolean tryReserve(long bytes) {
      while (true) {
        long now = reserved.get();
        if (now + bytes > maxBytes) {
          return false;
        }
        if (reserved.compareAndSet(now, now + bytes)) {
          return true;
        }
      }
    }

    void release(long bytes) {
      reserved.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    long reserved() {
      return reserved.get();
    }

    long maxBytes() {
      return maxBytes;
    }
  }

  private final Ledger ledger;
  private final int smallBodyBytes;
  private final ToIntFunction<HttpRequest> limitOf;
  private final HttpApiStats stats;
  private long held;
  private boolean refused;

  /**
   * @param smallBodyBytes bodies up to this (the API's general limit) take nothing from the budget:
   *     the connection cap bounds them (256 × 64 KiB), and an upload flood must not refuse the
   *     API's ordinary writes
   * @param limitOf the body limit of a request's path, reserved for a chunked body
   */
  BodyBudget(
      Ledger ledger, int smallBodyBytes, ToIntFunction<HttpRequest> limitOf, HttpApiStats stats) {
    this.ledger = ledger;
    this.smallBodyBytes = smallBodyBytes;
    this.limitOf = limitOf;
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (refused) {
      ReferenceCountUtil.release(message); // the rest of a refused request, before the close
      return;
    }
    if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      giveBack(); // nothing is held between requests; this only guards against a leak
      long bytes = bodyBytes(request);
      if (bytes <= smallBodyBytes) {
        bytes = 0; // bounded by the connection cap alone: an upload flood never refuses these
      } else if (!ledger.tryReserve(bytes)) {
        refused = true;
        stats.uploadsRefused.increment();
        ReferenceCountUtil.release(message);
        ApiRequest.of(ctx.channel(), request, 0)
            .errorAndClose(
                503,
                "too_many_uploads",
                "the agent is receiving "
                    + ledger.reserved()
                    + " bytes of request bodies, its most is "
                    + ledger.maxBytes()
                    + "; try again shortly");
        return;
      }
      held = bytes;
    }
    if (message instanceof LastHttpContent) {
      giveBack();
    }
    ctx.fireChannelRead(message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    giveBack();
  }

  private void giveBack() {
    if (held > 0) {
      ledger.release(held);
      held = 0;
    }
  }

  /** The bytes the request's body may take: its length, or its path's limit when unknown. */
  private long bodyBytes(HttpRequest request) {
    if (HttpUtil.isTransferEncodingChunked(request)) {
      return limitOf.applyAsInt(request);
    }
    long length;
    try {
      length = HttpUtil.getContentLength(request, 0L);
    } catch (NumberFormatException notANumber) {
      return 0; // the codec answers a malformed length; nothing of it is kept here
    }
    // An over-limit length is BodyLimit's to refuse (413), and a request that is also its last
    // part (a FullHttpRequest) holds nothing while it arrives.
    return request instanceof HttpContent ? 0 : Math.min(length, limitOf.applyAsInt(request));
  }
}
