package io.hivemind.server.transport;

import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.catalog.CheckProber;
import io.hivemind.server.loop.DriverLoop;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Runs the agent's HTTP and TCP checks on Netty (Consul's rules): an HTTP check passes on a 2xx
 * answer, warns on 429 (Too Many Requests) and is critical otherwise or when no answer comes in
 * time; a TCP check passes when the connection opens. At most {@value HttpProbeHandler#MAX_BODY}
 * bytes of an answer's body are read (the output replicas show), then the connection is closed.
 *
 * <p>Probes run on the agent's gossip loop when it is a Netty loop (a probe costs a channel, no
 * thread), else on a loop of its own. Host names are resolved by the JDK's resolver: checks should
 * name addresses or names the host resolves at once (localhost, /etc/hosts).
 *
 * <p>Thread-safe.
 */
public final class HealthProber implements CheckProber, AutoCloseable {

  /** Consul's default timeout for a check that gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Supplier<SslContext> verifying = tlsContext(false);
  private final Supplier<SslContext> trusting = tlsContext(true);

  private HealthProber(EventLoopGroup group, boolean ownsGroup) {
    this.group = group;
    this.ownsGroup = ownsGroup;
  }

  /** A prober on {@code loop} when it is a Netty loop, else on a loop of its own. */
  public static HealthProber on(DriverLoop loop) {
    if (loop instanceof NettyDriverLoop netty) {
      return new HealthProber(netty.eventLoop(), false);
    }
    return new HealthProber(GossipTransport.newEventLoopGroup(1, "hivemind-health-prober"), true);
  }

  @Override
  public CompletableFuture<Outcome> probe(CheckDefinition check) {
    try {
      return switch (check.kind()) {
        case HTTP -> http(check);
        case TCP -> tcp(check);
        case TTL -> critical("TTL checks are reported by their service, not probed");
        case MAINTENANCE -> critical("maintenance checks are critical until removed, not probed");
      };
    } catch (IllegalArgumentException e) {
      return critical(e.getMessage());
    }
  }

  private CompletableFuture<Outcome> tcp(CheckDefinition check) {
    URI target = parse("tcp://" + check.target(), check.target());
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    String what = "TCP connect " + check.target();
    ChannelFuture connecting =
        bootstrap(check)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(target.getHost(), target.getPort());
    connecting.addListener(
        done -> {
          if (done.isSuccess()) {
            outcome.complete(new Outcome(HealthStatus.PASSING, what + ": Success"));
            connecting.channel().close();
          } else {
            outcome.complete(new Outcome(HealthStatus.CRITICAL, what + ": " + done.cause()));
          }
        });
    return outcome;
  }

  private CompletableFuture<Outcome> http(CheckDefinition check) {
    URI target = parse(check.target(), check.target());
    boolean tls = "https".equalsIgnoreCase(target.getScheme());
    if (!tls && !"http".equalsIgnoreCase(target.getScheme())) {
      return critical("an HTTP check's URL is http:// or https://: " + check.target());
    }
    int port = target.getPort() > 0 ? target.getPort() : (tls ? 443 : 80);
    SslContext context;
    try {
      context = tls ? (check.tlsSkipVerify() ? trusting : verifying).get() : null;
    } catch (IllegalStateException e) {
      return critical(e.getMessage());
    }
    String what = "HTTP " + check.method() + " " + check.target();
    // Built before connecting, so a method or header Netty refuses is this call's
    // IllegalArgumentException (a critical outcome), not an exception lost in a listener.
    DefaultFullHttpRequest request = request(check, target, port);
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    HttpProbeHandler handler = new HttpProbeHandler(what, outcome);
    ChannelFuture connecting =
        bootstrap(check)
            .handler(initializer(context, target.getHost(), port, handler))
            .connect(target.getHost(), port);
    connecting.addListener(
        done -> {
          if (!done.isSuccess()) {
            outcome.complete(new Outcome(HealthStatus.CRITICAL, what + ": " + done.cause()));
            return;
          }
          Channel channel = connecting.channel();
          channel.writeAndFlush(request);
          channel
              .eventLoop()
              .schedule(
                  () -> handler.timedOut(channel, timeout(check)),
                  timeout(check).toMillis(),
                  TimeUnit.MILLISECONDS);
        });
    return outcome;
  }

  private static ChannelHandler initializer(
      SslContext tls, String host, int port, HttpProbeHandler handler) {
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        if (tls != null) {
          channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
        }
        channel.pipeline().addLast(new HttpClientCodec()).addLast(handler);
      }
    };
  }

  private static DefaultFullHttpRequest request(CheckDefinition check, URI target, int port) {
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    if (target.getRawQuery() != null) {
      path += "?" + target.getRawQuery();
    }
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()), path);
    request.headers().set(HttpHeaderNames.HOST, target.getHost() + ":" + port);
    request.headers().set(HttpHeaderNames.USER_AGENT, "Consul Health Check");
    request.headers().set(HttpHeaderNames.ACCEPT, "text/plain, text/*, */*");
    request.headers().set(HttpHeaderNames.CONNECTION, "close");
    for (Map.Entry<String, List<String>> header : check.headers().entrySet()) {
      request.headers().set(header.getKey(), header.getValue());
    }
    return request;
  }

  private Bootstrap bootstrap(CheckDefinition check) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, timeout(check).toMillis()));
  }

  private static Duration timeout(CheckDefinition check) {
    return check.timeout().isZero() || check.timeout().isNegative()
        ? DEFAULT_TIMEOUT
        : check.timeout();
  }

  private static URI parse(String uri, String original) {
    try {
      URI parsed = new URI(uri);
      if (parsed.getHost() == null || (parsed.getPort() < 0 && uri.startsWith("tcp:"))) {
        throw new IllegalArgumentException("not a host:port or URL a check can probe: " + original);
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a host:port or URL a check can probe: " + original, e);
    }
  }

  private static CompletableFuture<Outcome> critical(String output) {
    return CompletableFuture.completedFuture(new Outcome(HealthStatus.CRITICAL, output));
  }

  /** One TLS client context, built on first use (most agents never probe HTTPS). */
  private static Supplier<SslContext> tlsContext(boolean trustAnything) {
    return new Supplier<>() {
      private SslContext context;

      @Override
      public synchronized SslContext get() {
        if (context == null) {
          try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (trustAnything) {
              builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            context = builder.build();
          } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for HTTPS checks: " + e, e);
          }
        }
        return context;
      }
    };
  }

  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
