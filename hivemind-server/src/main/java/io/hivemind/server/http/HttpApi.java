package io.hivemind.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.logging.SLF4JLogDelegateFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API: {@code /v1/agent/members}, {@code self}, {@code join}, {@code leave} and
 * {@code metrics}, on Vert.x Web (docs/adr/0001-http-server.md).
 *
 * <p>Owning thread: one Vert.x event loop ({@code vert.x-eventloop-thread-0}) runs every handler;
 * the two worker threads only run Prometheus scrapes. Handlers read the agent's published snapshots
 * and take no locks.
 *
 * <p>Lifecycle: {@link #start} returns a RUNNING API bound to its port, or throws; {@link #close}
 * stops accepting, closes connections and stops the threads (CLOSED); closing twice is harmless.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** Vert.x picks SLF4J by itself when it finds a binding; saying so removes the guesswork. */
  private static final String VERTX_LOGGER_PROPERTY = "vertx.logger-delegate-factory-class-name";

  /** Binding a local port takes milliseconds; a minute means something is badly wrong. */
  private static final long START_TIMEOUT_SECONDS = 60;

  /** Close waits this long for in-flight requests before the threads go regardless. */
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  /**
   * Idle keep-alive connections close after two minutes: longer than a one-minute Prometheus scrape
   * interval (so a scraper keeps its connection), short enough to reclaim sockets of vanished
   * clients.
   */
  private static final int IDLE_TIMEOUT_SECONDS = 120;

  /**
   * The check wakes a timer thread; every 10 s instead of Vert.x's 1 s keeps an idle agent quieter
   * and still reports a stuck event loop.
   */
  private static final long BLOCKED_THREAD_CHECK_MILLIS = 10_000;

  static {
    if (System.getProperty(VERTX_LOGGER_PROPERTY) == null) {
      System.setProperty(VERTX_LOGGER_PROPERTY, SLF4JLogDelegateFactory.class.getName());
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpApi(Vertx vertx, HttpServer server, String host) {
    this.vertx = vertx;
    this.server = server;
    this.host = host;
  }

  /**
   * Binds {@code config.host():config.port()} and serves until {@link #close}.
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(HttpApiConfig config, AgentOperations agent) throws IOException {
    Vertx vertx = Vertx.vertx(vertxOptions());
    HttpServer server =
        vertx
            .createHttpServer(serverOptions(config))
            .requestHandler(AgentRoutes.create(vertx, config, agent))
            .invalidRequestHandler(ApiFailures::invalidRequest);
    String where = config.host() + ":" + config.port();
    try {
      await(server.listen(), START_TIMEOUT_SECONDS);
    } catch (IOException e) {
      await(vertx.close(), CLOSE_TIMEOUT_SECONDS, where);
      throw new IOException("cannot serve the HTTP API on " + where + ": " + e.getMessage(), e);
    }
    LOG.info("HTTP API listening on {}:{}", config.host(), server.actualPort());
    return new HttpApi(vertx, server, config.host());
  }

  /** The port the API listens on; the one the OS picked when the configured port was 0. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port} of this API. */
  public URI uri() {
    String uriHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return URI.create("http://" + uriHost + ":" + port());
  }

  /** Stops serving: closes the listening socket and open connections, then the threads. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    int port = port();
    try {
      await(server.close(), CLOSE_TIMEOUT_SECONDS);
    } catch (IOException e) {
      LOG.warn("HTTP API on port {} did not close cleanly: {}", port, e.getMessage());
    } finally {
      await(vertx.close(), CLOSE_TIMEOUT_SECONDS, "port " + port);
    }
    LOG.info("HTTP API on port {} closed", port);
  }

  /**
   * Few threads for an agent that should idle under 0.5% CPU and 64 MB: one event loop (the API's
   * load is a few requests a second), two workers for scrapes, one internal blocking thread (only
   * file-system calls use it, and the API serves no files), and no class-path file cache.
   */
  private static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(2)
        .setInternalBlockingPoolSize(1)
        .setBlockedThreadCheckInterval(BLOCKED_THREAD_CHECK_MILLIS)
        .setFileSystemOptions(
            new FileSystemOptions()
                .setClassPathResolvingEnabled(false)
                .setFileCachingEnabled(false));
  }

  /** HTTP/1.1 only: no h2c upgrade, one protocol to keep correct. */
  private static HttpServerOptions serverOptions(HttpApiConfig config) {
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future, long seconds) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(
          cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + seconds + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** For the last step of a shutdown: log, never throw. */
  private static void await(Future<?> future, long seconds, String what) {
    try {
      await(future, seconds);
    } catch (IOException e) {
      LOG.warn("Vert.x for the HTTP API on {} did not stop cleanly: {}", what, e.getMessage());
    }
  }
}
