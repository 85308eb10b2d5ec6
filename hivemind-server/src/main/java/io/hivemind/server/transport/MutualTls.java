package io.hivemind.server.transport;

import io.hivemind.server.tls.ClusterTrustManager;
import io.hivemind.server.tls.NodeKeyManager;
import io.hivemind.server.tls.TlsException;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.tls.TlsMaterial;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS for Netty channels, from a node's {@link TlsFiles}: a server context that requires a
 * client certificate ({@link ClientAuth#REQUIRE}) and a client context that presents the same
 * certificate, both trusting the cluster CA and nothing else ({@link ClusterTrustManager}).
 *
 * <p>TLS 1.3 only. Every peer is a Hivemind node on Java 17, which speaks it, so there is no old
 * client to keep; 1.3 has no renegotiation, no static-RSA or CBC suites and a one-round-trip
 * handshake. (Ratis's gRPC transport sets its own protocols; between two Java 17 nodes it
 * negotiates 1.3 as well.)
 *
 * <p>A client checks the server's certificate against the host it dialled (HTTPS endpoint
 * identification, as gRPC does), so a node certificate must name its node's addresses. A server
 * cannot know which node should be calling, so it checks the chain only.
 *
 * <p>Each secured channel carries a {@link TlsHandshakeWatcher} behind its {@link SslHandler}:
 * failures are counted in {@link #stats()} by {@link TlsRefusal}, logged at most once per reason
 * per interval, and closed. Immutable once built; one instance serves every channel of a node.
 */
public final class MutualTls {

  /** The only protocol version offered or accepted. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3");

  private final SslContext server;
  private final SslContext client;
  private final TlsStats stats = new TlsStats();
  private final TlsHandshakeWatcher watcher = new TlsHandshakeWatcher(stats);

  private MutualTls(SslContext server, SslContext client) {
    this.server = server;
    this.client = client;
  }

  /**
   * Reads and checks {@code files} ({@link TlsMaterial#load}) as of {@code now}, and builds both
   * contexts.
   *
   * @throws TlsException one sentence naming the file at fault
   */
  public static MutualTls load(TlsFiles files, Instant now) {
    return of(TlsMaterial.load(Objects.requireNonNull(files, "files"), now));
  }

  /** Both contexts from material already checked. */
  public static MutualTls of(TlsMaterial material) {
    ClusterTrustManager trust = new ClusterTrustManager(material.caCertificates());
    NodeKeyManager keys = new NodeKeyManager(material.certificate(), material.key());
    try {
      SslContext server =
          SslContextBuilder.forServer(keys)
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .trustManager(trust)
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      SslContext client =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .keyManager(keys)
              .trustManager(trust)
              .endpointIdentificationAlgorithm("HTTPS")
              .build();
      return new MutualTls(server, client);
    } catch (SSLException e) {
      throw new TlsException(
          "Cannot build a TLS 1.3 context from the checked TLS files: " + e.getMessage(), e);
    }
  }

  /**
   * Secures an accepted channel: adds the {@link SslHandler} and the handshake watcher at the head
   * of {@code pipeline}, before any handler that reads application bytes.
   */
  public void secureServerChannel(ChannelPipeline pipeline) {
    SslHandler handler = server.newHandler(pipeline.channel().alloc());
    pipeline.addFirst("tls-watch", watcher);
    pipeline.addFirst("tls", handler);
  }

  /**
   * Secures a channel dialling {@code peerHost:peerPort}; the server's certificate must name {@code
   * peerHost} (a DNS name or an IP address) among its subject alternative names.
   */
  public void secureClientChannel(ChannelPipeline pipeline, String peerHost, int peerPort) {
    SslHandler handler = client.newHandler(pipeline.channel().alloc(), peerHost, peerPort);
    pipeline.addFirst("tls-watch", watcher);
    pipeline.addFirst("tls", handler);
  }

  /** The server context, for a pipeline built by hand. */
  public SslContext serverContext() {
    return server;
  }

  /** The client context, for a pipeline built by hand. */
  public SslContext clientContext() {
    return client;
  }

  /** Handshakes completed and failed on channels this instance secured. */
  public TlsStats stats() {
    return stats;
  }
}
