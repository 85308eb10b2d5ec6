package io.hivemind.it.control.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.EnvironmentDeclaration;
import io.hivemind.server.control.FollowerConfig;
import io.hivemind.server.control.FollowerControlPlane;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.testkit.FreePorts;
import io.hivemind.testkit.InMemoryControlLog;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow feed over mutual TLS: the gateway requires a client certificate it trusts. The cluster
 * CA and its certificates are another piece of the issue (`hivemind tls`); here two self-signed key
 * pairs made with the JDK's keytool stand in: one the gateway trusts, one it does not.
 */
class FollowFeedTlsIT {

  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path keys;

  private GossipLoops loops;
  private InMemoryControlLog log;
  private ControlGatewayServer server;

  @BeforeAll
  static void makeKeys() throws Exception {
    keytool("trusted");
    keytool("rogue");
  }

  private static void keytool(String name) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=hivemind-feed-" + name,
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keys.resolve(name + ".p12").toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static KeyStore store(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys.resolve(name + ".p12"))) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static KeyManagerFactory keyManager(String name) throws Exception {
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store(name), PASSWORD);
    return factory;
  }

  private static TrustManagerFactory trusting(String name) throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store(name));
    return factory;
  }

  @BeforeEach
  void start() throws Exception {
    loops = GossipLoops.create(1, "feed-tls-it");
    log = new InMemoryControlLog(1_000, 1_000, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("c1", "testing"));
    log.append(new ControlCommand.KvSet("color", "blue".getBytes(UTF_8), 0, -1));
    SslContext serverTls =
        SslContextBuilder.forServer(keyManager("trusted"))
            .trustManager(trusting("trusted"))
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    server =
        ControlGatewayServer.bind(
            GatewayServerConfig.of("127.0.0.1", FreePorts.tcpAndUdp(), "testing"), log, serverTls);
  }

  @AfterEach
  void stop() {
    server.close();
    loops.close();
  }

  private FollowerControlPlane follower(ControlGatewayClient client) {
    Address gateway = new Address("127.0.0.1", server.port());
    FollowerControlPlane follower =
        new FollowerControlPlane(
            FollowerConfig.defaults(),
            loops.next(),
            new EnvironmentDeclaration(client, "testing"),
            () -> List.of(gateway),
            new Random(3));
    follower.start();
    return follower;
  }

  private static ControlGatewayClient client(String certificate) throws Exception {
    SslContext tls =
        SslContextBuilder.forClient()
            .keyManager(keyManager(certificate))
            .trustManager(trusting("trusted"))
            .build();
    return new ControlGatewayClient(
        tls,
        ControlGatewayClient.DEFAULT_MAX_FRAME_BYTES,
        ControlGatewayClient.DEFAULT_CONNECT_TIMEOUT);
  }

  @Test
  void follower_withATrustedCertificate_followsOverTls() throws Exception {
    try (ControlGatewayClient client = client("trusted");
        FollowerControlPlane follower = follower(client)) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(follower.view()).isEqualTo(log.view()));
      assertThat(server.stats().tlsFailures()).isZero();
    }
  }

  @Test
  void follower_withAnUntrustedCertificate_isRefusedAndCounted() throws Exception {
    try (ControlGatewayClient client = client("rogue");
        FollowerControlPlane follower = follower(client)) {
      await().atMost(WAIT).until(() -> server.stats().tlsFailures() >= 1);
      assertThat(follower.view().index()).isZero();
      assertThat(follower.status().degraded()).isTrue();
    }
  }
}
