package io.hivemind.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bytes in, bytes out: golden queries, golden bad packets and a fuzz loop, without a socket. */
class DnsResponderTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private final DnsFixtures fixtures =
      new DnsFixtures()
          .member("node-a", "127.0.0.10")
          .instance("web", "web-1", "127.0.0.1", 8080, List.of());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DnsResponder responder =
      new DnsResponder(
          new DnsAnswerer("hivemind.", 5, DnsFixtures.ENV, fixtures, new SplittableRandom(3)),
          new DnsStats(registry),
          () -> 0L);

  @Test
  void respond_query_answerWithIdFlagsAndRecord() {
    Response r = udp(query(0x1234, "web.service.hivemind", DnsTypes.A, 0));

    assertThat(r.id()).isEqualTo(0x1234);
    assertThat(r.flags() & 0x8000).as("QR").isNotZero();
    assertThat(r.flags() & 0x0400).as("AA").isNotZero();
    assertThat(r.flags() & 0x0100).as("RD echoed").isNotZero();
    assertThat(r.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(r.counts()).containsExactly(1, 1, 0, 0);
    assertThat(r.bytes()).endsWith(new byte[] {127, 0, 0, 1});
    assertThat(responses("udp", "noerror")).isEqualTo(1);
  }

  @Test
  void respond_ednsQuery_optEchoed() {
    Response r = udp(query(1, "web.service.hivemind", DnsTypes.A, 4096));

    assertThat(r.counts()).containsExactly(1, 1, 0, 1);
    assertThat(r.bytes()).endsWith(new byte[] {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0});
  }

  @Test
  void respond_unknownName_nxdomainWithSoa() {
    Response r = udp(query(2, "nope.service.hivemind", DnsTypes.A, 0));

    assertThat(r.rcode()).isEqualTo(DnsTypes.NXDOMAIN);
    assertThat(r.counts()).containsExactly(1, 0, 1, 0);
  }

  @Test
  void respond_outsideTheDomain_refusedAndCounted() {
    Response r = udp(query(3, "example.org", DnsTypes.A, 0));

    assertThat(r.rcode()).isEqualTo(DnsTypes.REFUSED);
    assertThat(rejected("refused")).isEqualTo(1);
  }

  @Test
  void respond_largeServiceOverUdp_truncatedWithinLimits() {
    for (int i = 0; i < 200; i++) {
      fixtures.instance(
          "big", "big-" + i, "10.0.%d.%d".formatted(i / 250, i % 250 + 1), 9000 + i, List.of());
    }

    Response classic = udp(query(4, "big.service.hivemind", DnsTypes.SRV, 0));
    Response edns = udp(query(5, "big.service.hivemind", DnsTypes.SRV, 4096));
    Response tcp = tcp(query(6, "big.service.hivemind", DnsTypes.SRV, 0));

    assertThat(classic.flags() & 0x0200).as("TC").isNotZero();
    assertThat(classic.bytes().length).isLessThanOrEqualTo(512);
    assertThat(edns.flags() & 0x0200).as("TC").isNotZero();
    assertThat(edns.bytes().length).isLessThanOrEqualTo(DnsWire.MAX_UDP_BYTES);
    assertThat(edns.counts()[1]).isGreaterThan(classic.counts()[1]);
    assertThat(tcp.flags() & 0x0200).as("TC").isZero();
    assertThat(tcp.counts()[1]).isEqualTo(200);
    assertThat(tcp.counts()[3]).as("every target's address").isEqualTo(200);
  }

  @Test
  void respond_shortPacket_dropped() {
    assertThat(
            responder.respond(Unpooled.wrappedBuffer(new byte[5]), DnsStats.Transport.UDP, ALLOC))
        .isNull();
    assertThat(rejected("short")).isEqualTo(1);
  }

  @Test
  void respond_aResponse_dropped() {
    byte[] packet = query(7, "web.service.hivemind", DnsTypes.A, 0);
    packet[2] |= (byte) 0x80;

    assertThat(responder.respond(Unpooled.wrappedBuffer(packet), DnsStats.Transport.UDP, ALLOC))
        .isNull();
    assertThat(rejected("not_a_query")).isEqualTo(1);
  }

  @Test
  void respond_questionCountZeroOrFive_formerrWithId() {
    byte[] none = query(8, "web.service.hivemind", DnsTypes.A, 0);
    none[5] = 0;
    byte[] five = query(9, "web.service.hivemind", DnsTypes.A, 0);
    five[5] = 5;

    Response r0 = udp(none);
    Response r5 = udp(five);

    assertThat(r0.id()).isEqualTo(8);
    assertThat(r0.rcode()).isEqualTo(DnsTypes.FORMERR);
    assertThat(r5.rcode()).isEqualTo(DnsTypes.FORMERR);
    assertThat(rejected("malformed")).isEqualTo(2);
  }

  @Test
  void respond_labelLoop_formerr() {
    // The question's name is a pointer to itself (offset 12).
    byte[] loop = {0, 10, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};

    assertThat(udp(loop).rcode()).isEqualTo(DnsTypes.FORMERR);
  }

  @Test
  void respond_truncatedQuestion_formerr() {
    byte[] packet = query(11, "web.service.hivemind", DnsTypes.A, 0);
    byte[] cut = java.util.Arrays.copyOf(packet, 20);

    assertThat(udp(cut).rcode()).isEqualTo(DnsTypes.FORMERR);
  }

  @Test
  void respond_otherOpcode_notimp() {
    byte[] packet = query(12, "web.service.hivemind", DnsTypes.A, 0);
    packet[2] = (byte) (2 << 3); // STATUS

    assertThat(udp(packet).rcode()).isEqualTo(DnsTypes.NOTIMP);
  }

  @Test
  void respond_fuzzedPackets_neverThrowAndKeepAnswering() {
    SplittableRandom random = new SplittableRandom(20_261_201);
    byte[] valid = query(13, "web.service.hivemind", DnsTypes.SRV, 1232);
    for (int i = 0; i < 20_000; i++) {
      byte[] packet = i % 2 == 0 ? randomBytes(random) : mutated(valid, random);
      ByteBuf response =
          responder.respond(Unpooled.wrappedBuffer(packet), DnsStats.Transport.UDP, ALLOC);
      if (response != null) {
        assertThat(response.readableBytes()).isBetween(12, DnsWire.MAX_UDP_BYTES);
        response.release();
      }
    }

    Response after = udp(query(14, "web.service.hivemind", DnsTypes.A, 0));
    assertThat(after.counts()).containsExactly(1, 1, 0, 0);
    assertThat(registry.find("hivemind.dns.rejected").counters())
        .anySatisfy(c -> assertThat(c.count()).isPositive());
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(0, 600)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] mutated(byte[] valid, SplittableRandom random) {
    byte[] bytes = valid.clone();
    int flips = random.nextInt(1, 6);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return random.nextInt(4) == 0
        ? java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length))
        : bytes;
  }

  /** A standard query with RD set, and an OPT record when {@code udpPayload} is above 0. */
  static byte[] query(int id, String name, int type, int udpPayload) {
    ByteBuf out = Unpooled.buffer();
    out.writeShort(id);
    out.writeShort(0x0100);
    out.writeShort(1);
    out.writeShort(0);
    out.writeShort(0);
    out.writeShort(udpPayload > 0 ? 1 : 0);
    for (String label : name.split("\\.")) {
      out.writeByte(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeByte(0);
    out.writeShort(type);
    out.writeShort(DnsTypes.CLASS_IN);
    if (udpPayload > 0) {
      out.writeByte(0);
      out.writeShort(DnsTypes.OPT);
      out.writeShort(udpPayload);
      out.writeInt(0);
      out.writeShort(0);
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  private Response udp(byte[] packet) {
    return respond(packet, DnsStats.Transport.UDP);
  }

  private Response tcp(byte[] packet) {
    return respond(packet, DnsStats.Transport.TCP);
  }

  private Response respond(byte[] packet, DnsStats.Transport transport) {
    ByteBuf response = responder.respond(Unpooled.wrappedBuffer(packet), transport, ALLOC);
    assertThat(response).as("a response").isNotNull();
    byte[] bytes = new byte[response.readableBytes()];
    response.readBytes(bytes);
    response.release();
    return new Response(bytes);
  }

  private double responses(String transport, String rcode) {
    return registry
        .get("hivemind.dns.responses")
        .tag("transport", transport)
        .tag("rcode", rcode)
        .counter()
        .count();
  }

  private double rejected(String reason) {
    return registry.get("hivemind.dns.rejected").tag("reason", reason).counter().count();
  }

  private record Response(byte[] bytes) {
    int id() {
      return u16(0);
    }

    int flags() {
      return u16(2);
    }

    int rcode() {
      return flags() & 0xF;
    }

    int[] counts() {
      return new int[] {u16(4), u16(6), u16(8), u16(10)};
    }

    private int u16(int at) {
      return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }
  }
}
