package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.server.tls.CertificateFiles;
import io.hivemind.server.tls.ClusterTrustManager;
import io.hivemind.server.tls.NodeCertificateRequest;
import io.hivemind.server.tls.PemFiles;
import io.hivemind.server.tls.TlsException;
import io.hivemind.server.tls.TlsFiles;
import io.hivemind.server.tls.TlsMaterial;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshakes between two {@link EmbeddedChannel}s whose bytes the test carries by hand: no socket,
 * no clock. The real-socket version is hivemind-it's MutualTlsIT.
 */
class MutualTlsTest {

  private static final Instant NOW = Instant.now();

  @TempDir Path dir;
  private MutualTls server;

  @BeforeEach
  void setUp() throws Exception {
    server =
        MutualTls.load(
            node(dir, "server", CertificateAuthority.create("c", Duration.ofDays(9), NOW)), NOW);
  }

  @Test
  void handshake_clientFromTheSameCa_completesAndCarriesBytes() throws Exception {
    MutualTls client = MutualTls.load(nodeOfTheServersCa("client"), NOW);
    Pair pair = new Pair(server, client, "127.0.0.1");

    pair.client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
    pair.shuttle();

    ByteBuf received = pair.server.readInbound();
    assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("ping");
    received.release();
    assertThat(server.stats().handshakes()).isEqualTo(1);
    assertThat(client.stats().handshakes()).isEqualTo(1);
    assertThat(server.stats().refused()).isZero();
  }

  @Test
  void handshake_clientWithACertificateFromAnotherCa_refusedAsUntrusted() throws Exception {
    // The attacker's case: the cluster CA's certificate is public, so a client may trust the
    // server; what it cannot have is a certificate the cluster CA signed.
    Path other = Files.createDirectory(dir.resolve("other"));
    TlsMaterial foreign =
        TlsMaterial.load(
            node(other, "client", CertificateAuthority.create("c", Duration.ofDays(9), NOW)), NOW);
    MutualTls client =
        MutualTls.of(
            new TlsMaterial(
                TlsMaterial.load(TlsFiles.inDirectory(dir, "server"), NOW).caCertificates(),
                foreign.certificate(),
                foreign.key()));
    Pair pair = new Pair(server, client, "127.0.0.1");

    pair.shuttle();

    assertThat(server.stats().failures(TlsRefusal.UNTRUSTED_CERTIFICATE)).isEqualTo(1);
    assertThat(server.stats().refused()).isEqualTo(1);
    assertThat(server.stats().handshakes()).isZero();
    assertThat(pair.server.isActive()).isFalse();
  }

  @Test
  void handshake_nodeOfAnotherCluster_refusesTheServerFirst() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    MutualTls client =
        MutualTls.load(
            node(other, "client", CertificateAuthority.create("c", Duration.ofDays(9), NOW)), NOW);
    Pair pair = new Pair(server, client, "127.0.0.1");

    pair.shuttle();

    assertThat(client.stats().failures(TlsRefusal.UNTRUSTED_CERTIFICATE)).isEqualTo(1);
    assertThat(server.stats().failures(TlsRefusal.PEER_REFUSED)).isEqualTo(1);
    assertThat(server.stats().handshakes()).isZero();
    assertThat(pair.server.isActive()).isFalse();
  }

  @Test
  void handshake_duringCaRotation_oldAndNewCertificatesMeet() throws Exception {
    CertificateAuthority next = CertificateAuthority.create("c", Duration.ofDays(9), NOW);
    String bundle = Files.readString(dir.resolve("ca.pem")) + PemFiles.encode(next.certificate());
    Files.writeString(dir.resolve("ca.pem"), bundle);
    MutualTls oldServer = MutualTls.load(TlsFiles.inDirectory(dir, "server"), NOW);
    Path newDir = Files.createDirectory(dir.resolve("new"));
    Files.writeString(newDir.resolve("ca.pem"), bundle);
    CertificateFiles.writeNode(
        next.issue(NodeCertificateRequest.withDefaults("n", Duration.ofDays(1)), NOW),
        "n",
        newDir,
        false);
    MutualTls newClient = MutualTls.load(TlsFiles.inDirectory(newDir, "n"), NOW);

    new Pair(oldServer, newClient, "127.0.0.1").shuttle();

    assertThat(oldServer.stats().handshakes()).isEqualTo(1);
    assertThat(newClient.stats().handshakes()).isEqualTo(1);
  }

  @Test
  void handshake_clientWithoutCertificate_refusedAsNoCertificate() throws Exception {
    SslContext anonymous =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols(MutualTls.PROTOCOLS)
            .trustManager(
                new ClusterTrustManager(PemFiles.readCertificates(dir.resolve("ca.pem"), "CA")))
            .build();
    Pair pair = new Pair(server, anonymous);

    pair.shuttle();

    assertThat(server.stats().failures(TlsRefusal.NO_CERTIFICATE)).isEqualTo(1);
    assertThat(server.stats().handshakes()).isZero();
    assertThat(pair.server.isActive()).isFalse();
  }

  @Test
  void handshake_serverCertificateWithoutTheDialledAddress_clientRefuses() throws Exception {
    MutualTls client = MutualTls.load(nodeOfTheServersCa("client"), NOW);
    Pair pair = new Pair(server, client, "10.1.2.3");

    pair.shuttle();

    assertThat(client.stats().failures(TlsRefusal.UNTRUSTED_CERTIFICATE)).isEqualTo(1);
    assertThat(client.stats().handshakes()).isZero();
  }

  @Test
  void handshake_tls12OnlyClient_refused() throws Exception {
    SslContext old =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.2")
            .trustManager(
                new ClusterTrustManager(PemFiles.readCertificates(dir.resolve("ca.pem"), "CA")))
            .build();
    Pair pair = new Pair(server, old);

    pair.shuttle();

    assertThat(server.stats().failures(TlsRefusal.OTHER)).isEqualTo(1);
    assertThat(server.stats().handshakes()).isZero();
  }

  @Test
  void files_readByNettysOwnPemReader_asTheControlPlanesGrpcReadsThem() throws Exception {
    // gRPC (Ratis's server RPC) hands the three paths to (shaded) Netty's SslContextBuilder; a
    // server built that way must accept our client, so the files work for both transports.
    TlsFiles files = TlsFiles.inDirectory(dir, "server");
    SslContext grpcLike =
        SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile())
            .trustManager(files.caCert().toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    MutualTls client = MutualTls.load(nodeOfTheServersCa("client"), NOW);
    EmbeddedChannel serverEnd = new EmbeddedChannel(new Swallow());
    serverEnd.pipeline().addFirst(grpcLike.newHandler(serverEnd.alloc()));
    EmbeddedChannel clientEnd = new EmbeddedChannel(new Swallow());
    client.secureClientChannel(clientEnd.pipeline(), "127.0.0.1", 7000);

    Pair.shuttle(clientEnd, serverEnd);

    assertThat(client.stats().handshakes()).isEqualTo(1);
    assertThat(serverEnd.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
  }

  @Test
  void handshake_plaintextPeer_countedAsNotTls() {
    EmbeddedChannel channel = new EmbeddedChannel(new Swallow());
    server.secureServerChannel(channel.pipeline());

    channel.writeInbound(
        Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

    assertThat(server.stats().failures(TlsRefusal.NOT_TLS)).isEqualTo(1);
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void load_certificateOfAnotherCa_oneSentenceNamingTheFile() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    node(other, "x", CertificateAuthority.create("c", Duration.ofDays(9), NOW));
    TlsFiles mixed =
        TlsFiles.of(dir.resolve("ca.pem"), other.resolve("x.pem"), other.resolve("x-key.pem"));

    assertThatThrownBy(() -> MutualTls.load(mixed, NOW))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining(other.resolve("x.pem") + " is not signed by the cluster CA");
  }

  private TlsFiles nodeOfTheServersCa(String name) throws Exception {
    CertificateAuthority ca = CertificateFiles.readCa(dir);
    CertificateFiles.writeNode(
        ca.issue(NodeCertificateRequest.withDefaults(name, Duration.ofDays(1)), NOW),
        name,
        dir,
        false);
    return TlsFiles.inDirectory(dir, name);
  }

  private static TlsFiles node(Path dir, String name, CertificateAuthority ca) throws Exception {
    CertificateFiles.writeCa(ca, dir, false);
    CertificateFiles.writeNode(
        ca.issue(NodeCertificateRequest.withDefaults(name, Duration.ofDays(1)), NOW),
        name,
        dir,
        false);
    return TlsFiles.inDirectory(dir, name);
  }

  /** A client and a server channel; {@link #shuttle} carries bytes until neither has any. */
  private static final class Pair {
    final EmbeddedChannel server = new EmbeddedChannel(new Swallow());
    final EmbeddedChannel client = new EmbeddedChannel(new Swallow());

    Pair(MutualTls serverTls, MutualTls clientTls, String dialledHost) {
      serverTls.secureServerChannel(server.pipeline());
      clientTls.secureClientChannel(client.pipeline(), dialledHost, 7000);
    }

    Pair(MutualTls serverTls, SslContext clientContext) {
      serverTls.secureServerChannel(server.pipeline());
      client.pipeline().addFirst(clientContext.newHandler(client.alloc(), "127.0.0.1", 7000));
    }

    void shuttle() {
      shuttle(client, server);
    }

    static void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
      boolean moved = true;
      while (moved) {
        moved = carry(client, server) | carry(server, client);
      }
    }

    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
      boolean moved = false;
      for (Object out = from.readOutbound(); out != null; out = from.readOutbound()) {
        moved = true;
        if (to.isOpen()) {
          to.writeInbound(out);
        } else {
          ((ByteBuf) out).release();
        }
      }
      return moved;
    }
  }

  /** The application end: keeps what it reads for the test, and swallows the handshake's error. */
  private static final class Swallow extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
