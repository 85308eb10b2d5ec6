package io.hivemind.it.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.CheckRequest;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.api.ServiceWeights;
import io.hivemind.client.HivemindClient;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.server.agent.DnsSettings;
import io.hivemind.testkit.FreePorts;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS interface of a development agent over real sockets, queried through dnsjava's resolver
 * (an independent implementation of the wire format): A, AAAA, SRV, tags, nodes, the environment
 * label, PTR, unknown names and case; an instance leaving the answers when its check fails; a large
 * service truncated over UDP and complete over TCP; golden bad packets and a fuzz loop that leave
 * the server answering.
 */
class DnsIT {

  /** A single voter elects and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  private static final int LARGE = 200;

  @TempDir static Path root;
  private static Agent agent;
  private static HivemindClient client;
  private static int dnsPort;

  @BeforeAll
  static void startAgent() throws Exception {
    dnsPort = FreePorts.tcpAndUdp();
    AgentSettings settings =
        devVoter("it-dns", root)
            .withDns(new DnsSettings(Integer.toString(dnsPort), null, null, null));
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    client = HivemindClient.connect(agent.httpUri());
    register("web-1", "web", List.of("blue"), "127.0.0.21", 8081, 1);
    register("web-2", "web", List.of("green"), "127.0.0.22", 8082, 3);
    register("web-6", "web", List.of(), "::1", 8086, 1);
    await().atMost(FORMING).until(() -> client.lookup("web").size() == 3);
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static void register(
      String id, String name, List<String> tags, String address, int port, int weight) {
    client.register(
        new ServiceRegistrationRequest(
            id,
            name,
            tags,
            address,
            port,
            Map.of(),
            new ServiceWeights(weight, 1),
            null,
            List.of()));
  }

  private static AgentSettings devVoter(String cluster, Path root) {
    return new AgentSettings(
        "dev",
        "development",
        0,
        cluster,
        loopback(),
        null,
        loopback(),
        List.of(),
        List.of("control", "dns"),
        Map.of(),
        "",
        "local",
        List.of(),
        null,
        null,
        new ControlSettings(
            root.resolve("dev").toString(),
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            loopback(),
            loopback()));
  }

  private static String loopback() {
    return "127.0.0.1:" + FreePorts.tcpAndUdp();
  }

  private static SimpleResolver resolver(boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(dnsPort);
    resolver.setTCP(tcp);
    resolver.setIgnoreTruncation(true);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver;
  }

  private static Message query(String name, int type) throws IOException {
    return query(name, type, false);
  }

  private static Message query(String name, int type, boolean tcp) throws IOException {
    org.xbill.DNS.Record question =
        org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN);
    return resolver(tcp).send(Message.newQuery(question));
  }

  private static List<String> rdata(Message response, int type) {
    return response.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(r -> r.rdataToString())
        .toList();
  }

  @Test
  void serviceA_passingInstancesIpv4() throws IOException {
    Message response = query("web.service.hivemind.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(rdata(response, Type.A)).containsExactlyInAnyOrder("127.0.0.21", "127.0.0.22");
    assertThat(response.getSection(Section.ANSWER))
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(5));
  }

  @Test
  void persistentRegistration_throughTheControlLog_isAnsweredToo() throws Exception {
    String body =
        "{\"Node\":\"billing-db\",\"Address\":\"10.9.8.7\","
            + "\"Service\":{\"ID\":\"pg-1\",\"Service\":\"pg\",\"Port\":5432}}";
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(agent.httpUri().resolve("/v1/catalog/register"))
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

    await()
        .atMost(FORMING)
        .untilAsserted(
            () ->
                assertThat(rdata(query("pg.service.hivemind.", Type.A), Type.A))
                    .containsExactly("10.9.8.7"));
    assertThat(rdata(query("_pg._tcp.service.hivemind.", Type.SRV), Type.SRV))
        .containsExactly("1 1 5432 0a090807.addr.hivemind.");
  }

  @Test
  void instanceInMaintenance_leavesTheAnswers_backWhenItEnds() throws Exception {
    register("cache-1", "cache", List.of(), "127.0.0.31", 6379, 1);
    register("cache-2", "cache", List.of(), "127.0.0.32", 6379, 1);
    await()
        .atMost(FORMING)
        .untilAsserted(
            () ->
                assertThat(rdata(query("cache.service.hivemind.", Type.A), Type.A))
                    .containsExactlyInAnyOrder("127.0.0.31", "127.0.0.32"));

    assertThat(put("/v1/agent/service/maintenance/cache-1?enable=true&reason=upgrade"))
        .isEqualTo(200);
    assertThat(rdata(query("cache.service.hivemind.", Type.A), Type.A))
        .containsExactly("127.0.0.32");
    assertThat(put("/v1/agent/service/maintenance/cache-1?enable=false")).isEqualTo(200);
    assertThat(rdata(query("cache.service.hivemind.", Type.A), Type.A))
        .containsExactlyInAnyOrder("127.0.0.31", "127.0.0.32");
  }

  /** A PUT without a body to this agent's HTTP API; its status. */
  private static int put(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(agent.httpUri().resolve(path))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void serviceAaaa_ipv6Instance() throws IOException {
    assertThat(rdata(query("web.service.hivemind.", Type.AAAA), Type.AAAA))
        .containsExactly("0:0:0:0:0:0:0:1");
  }

  @Test
  void serviceSrv_portsWeightsTargetsAndAddresses() throws IOException {
    Message response = query("_web._tcp.service.hivemind.", Type.SRV);

    assertThat(rdata(response, Type.SRV))
        .containsExactlyInAnyOrder(
            "1 1 8081 7f000015.addr.hivemind.",
            "1 3 8082 7f000016.addr.hivemind.",
            "1 1 8086 00000000000000000000000000000001.addr.hivemind.");
    assertThat(response.getSection(Section.ADDITIONAL).stream().map(r -> r.rdataToString()))
        .contains("127.0.0.21", "127.0.0.22", "0:0:0:0:0:0:0:1");
  }

  @Test
  void tags_bothForms() throws IOException {
    assertThat(rdata(query("blue.web.service.hivemind.", Type.A), Type.A))
        .containsExactly("127.0.0.21");
    assertThat(rdata(query("_web._green.service.hivemind.", Type.SRV), Type.SRV))
        .containsExactly("1 3 8082 7f000016.addr.hivemind.");
  }

  @Test
  void nodesAndPtr_fromMembership() throws IOException {
    assertThat(rdata(query("dev.node.hivemind.", Type.A), Type.A)).containsExactly("127.0.0.1");
    Name reverse = ReverseMap.fromAddress(InetAddress.getByName("127.0.0.1"));
    assertThat(rdata(query(reverse.toString(), Type.PTR), Type.PTR))
        .containsExactly("dev.node.hivemind.");
  }

  @Test
  void environmentLabel_ownAnsweredOtherRefused() throws IOException {
    assertThat(rdata(query("web.service.development.hivemind.", Type.A), Type.A)).hasSize(2);
    assertThat(query("web.service.staging.hivemind.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void unknownNameAndMissingType_negativeWithSoa() throws IOException {
    Message unknown = query("nothing.service.hivemind.", Type.A);
    Message noType = query("dev.node.hivemind.", Type.AAAA);
    Message outside = query("example.org.", Type.A);

    assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(unknown.getSection(Section.AUTHORITY))
        .extracting(r -> r.getType())
        .containsExactly(Type.SOA);
    assertThat(noType.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(noType.getSection(Section.ANSWER)).isEmpty();
    assertThat(noType.getSection(Section.AUTHORITY))
        .extracting(r -> r.getType())
        .containsExactly(Type.SOA);
    assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void names_caseInsensitive() throws IOException {
    assertThat(rdata(query("WEB.Service.HiveMind.", Type.A), Type.A)).hasSize(2);
  }

  @Test
  void instanceTurningCritical_leavesTheAnswersWithinOneCheckInterval() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      client.register(
          new ServiceRegistrationRequest(
              "flaky-1",
              "flaky",
              List.of(),
              "127.0.0.31",
              9000,
              Map.of(),
              null,
              CheckRequest.tcp("127.0.0.1:" + listening.getLocalPort(), "1s"),
              List.of()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> rdata(query("flaky.service.hivemind.", Type.A), Type.A).size() == 1);
    }
    // The check's port is closed now: the next probe, at most one interval (1 s) away, fails. The
    // bound allows the probe's own connect and the answer on a loaded machine.
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> rdata(query("flaky.service.hivemind.", Type.A), Type.A).isEmpty());
  }

  @Test
  void largeService_truncatedOverUdpCompleteOverTcp() throws Exception {
    for (int i = 0; i < LARGE; i++) {
      register(
          "big-" + i, "big", List.of(), "10.1." + (i / 200) + "." + (i % 200 + 1), 10_000 + i, 1);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> client.lookup("big").size() == LARGE);

    Message udp = query("big.service.hivemind.", Type.SRV, false);
    Message tcp = query("big.service.hivemind.", Type.SRV, true);

    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getSection(Section.ANSWER)).hasSizeLessThan(LARGE);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(LARGE);
    assertThat(rdata(query("big.service.hivemind.", Type.A, true), Type.A)).hasSize(LARGE);
  }

  @Test
  void goldenBadPackets_formerrOrDropped_serverKeepsAnswering() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(1000);
      assertThat(exchange(socket, new byte[] {1, 2, 3, 4, 5})).as("truncated header").isNull();
      assertThat(rcode(exchange(socket, withQuestions(0))))
          .as("qdcount 0")
          .isEqualTo(Rcode.FORMERR);
      assertThat(rcode(exchange(socket, withQuestions(5))))
          .as("qdcount 5")
          .isEqualTo(Rcode.FORMERR);
      byte[] loop = {0, 10, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
      assertThat(rcode(exchange(socket, loop))).as("label loop").isEqualTo(Rcode.FORMERR);
      byte[] garbage = new byte[64];
      new Random(12).nextBytes(garbage);
      garbage[2] = 0; // a query, opcode 0: it reaches the question and fails there
      byte[] answer = exchange(socket, garbage);
      assertThat(answer == null || rcode(answer) == Rcode.FORMERR).as("garbage").isTrue();
    }
    assertThat(rdata(query("web.service.hivemind.", Type.A), Type.A)).hasSize(2);
  }

  @Test
  void fuzzLoop_randomAndMutatedQueries_serverKeepsAnswering() throws Exception {
    Random random = new Random(20_261_201);
    byte[] valid =
        Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    Name.fromString("web.service.hivemind."), Type.SRV, DClass.IN))
            .toWire();
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 3000; i++) {
        byte[] packet = i % 2 == 0 ? randomBytes(random) : mutated(valid, random);
        socket.send(
            new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), dnsPort));
      }
    }
    try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), dnsPort)) {
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      for (int i = 0; i < 50; i++) {
        byte[] packet = mutated(valid, random);
        out.writeShort(packet.length);
        out.write(packet);
      }
      out.flush();
    }
    // The socket's receive buffer may still be full of fuzz when the first query comes: retried.
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(rdata(query("web.service.hivemind.", Type.A), Type.A)).hasSize(2));
    assertThat(rdata(query("web.service.hivemind.", Type.A, true), Type.A)).hasSize(2);
    assertThat(client.metrics()).contains("hivemind_dns_rejected_total{reason=\"malformed\"}");
  }

  private static byte[] exchange(DatagramSocket socket, byte[] packet) throws IOException {
    socket.send(
        new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), dnsPort));
    byte[] buffer = new byte[2048];
    DatagramPacket received = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(received);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buffer, received.getLength());
  }

  private static int rcode(byte[] response) {
    assertThat(response).as("a response").isNotNull();
    return response[3] & 0xF;
  }

  private static byte[] withQuestions(int count) throws IOException {
    byte[] query =
        Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    Name.fromString("web.service.hivemind."), Type.A, DClass.IN))
            .toWire();
    query[4] = 0;
    query[5] = (byte) count;
    return query;
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(600)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] mutated(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    int flips = 1 + random.nextInt(5);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return random.nextInt(4) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length)) : bytes;
  }
}
