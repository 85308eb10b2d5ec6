package io.hivemind.it.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.DnsSettings;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Names outside the domain with a recursor configured: forwarded and answered with the requester's
 * id; a recursor that stays silent gets the requester a SERVFAIL after the timeout, not silence.
 * The recursor is a small dnsjava responder on loopback.
 */
class DnsForwardingIT {

  @TempDir static Path root;
  private static Agent agent;
  private static FakeRecursor recursor;
  private static int dnsPort;

  @BeforeAll
  static void start() throws Exception {
    recursor = new FakeRecursor();
    recursor.start();
    dnsPort = FreePorts.tcpAndUdp();
    AgentSettings settings =
        new AgentSettings(
                "fwd",
                "development",
                0,
                "it-dns-forwarding",
                "127.0.0.1:" + FreePorts.tcpAndUdp(),
                null,
                "127.0.0.1:" + FreePorts.tcpAndUdp(),
                List.of(),
                List.of("dns"),
                Map.of(),
                "",
                "local",
                List.of(),
                null,
                null)
            .withDns(
                new DnsSettings(
                    Integer.toString(dnsPort),
                    null,
                    null,
                    List.of("127.0.0.1:" + recursor.port())));
    agent = Agent.start(AgentConfig.resolve(settings, "fwd", root), "it");
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (recursor != null) {
      recursor.close();
    }
  }

  private static Message query(String name) throws IOException {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(dnsPort);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver.send(
        Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  @Test
  void outsideName_forwardedAndAnswered() throws IOException {
    Message response = query("www.example.org.");

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER))
        .extracting(r -> r.rdataToString())
        .containsExactly("192.0.2.1");
  }

  @Test
  void silentRecursor_servfailAfterTheTimeout() throws IOException {
    Message response = query("slow.example.org.");

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void ownNames_stillAnsweredHere() throws IOException {
    Message response = query("fwd.node.hivemind.");

    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(response.getSection(Section.ANSWER))
        .extracting(r -> r.rdataToString())
        .containsExactly("127.0.0.1");
  }

  /** Answers every A question with 192.0.2.1, except names starting "slow", which it ignores. */
  private static final class FakeRecursor extends Thread implements AutoCloseable {
    private final DatagramSocket socket;

    FakeRecursor() throws SocketException {
      super("fake-recursor");
      setDaemon(true);
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void run() {
      byte[] buffer = new byte[4096];
      while (!socket.isClosed()) {
        try {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          socket.receive(packet);
          Message query = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
          Name name = query.getQuestion().getName();
          if (name.getLabelString(0).startsWith("slow")) {
            continue;
          }
          Message answer = new Message(query.getHeader().getID());
          answer.getHeader().setFlag(Flags.QR);
          answer.addRecord(query.getQuestion(), Section.QUESTION);
          answer.addRecord(
              new ARecord(name, DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
          byte[] wire = answer.toWire();
          socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        } catch (IOException e) {
          // closed, or a bad packet: go on until closed
        }
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
