package io.hivemind.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.catalog.HealthStatus;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnsAnswererTest {

  private final DnsFixtures fixtures =
      new DnsFixtures()
          .member("node-a", "127.0.0.10")
          .member("node-b", "::1")
          .instance("web", "web-1", "127.0.0.1", 8080, List.of("blue"))
          .instance("web", "web-2", "127.0.0.2", 8081, List.of("green"))
          .instance("web", "web-6", "::2", 8082, List.of())
          .instance("db", "db-1", "", 5432, List.of())
          .instance("ext", "ext-1", "db.example.org", 443, List.of());

  private final DnsAnswerer answerer =
      new DnsAnswerer("hivemind.", 5, DnsFixtures.ENV, fixtures, new SplittableRandom(42));

  @Test
  void answer_serviceA_passingIpv4Addresses() {
    DnsAnswer answer = answerer.answer("web.service.hivemind.", DnsTypes.A);

    assertThat(answer.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(addresses(answer)).containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
    assertThat(answer.answers()).allSatisfy(r -> assertThat(r.ttlSeconds()).isEqualTo(5));
  }

  @Test
  void answer_serviceAaaa_ipv6Addresses() {
    DnsAnswer answer = answerer.answer("web.service.hivemind.", DnsTypes.AAAA);

    assertThat(addresses(answer)).containsExactly("0:0:0:0:0:0:0:2");
  }

  @Test
  void answer_serviceSrv_portWeightTargetAndAdditionalAddresses() {
    DnsAnswer answer = answerer.answer("web.service.hivemind.", DnsTypes.SRV);

    assertThat(answer.answers()).hasSize(3);
    Rdata.Srv first =
        answer.answers().stream()
            .map(r -> (Rdata.Srv) r.data())
            .filter(s -> s.port() == 8080)
            .findFirst()
            .orElseThrow();
    assertThat(first.target()).isEqualTo("7f000001.addr.hivemind.");
    assertThat(first.weight()).isEqualTo(1);
    assertThat(answer.additional())
        .extracting(ResourceRecord::name)
        .contains("7f000001.addr.hivemind.");
  }

  @Test
  void answer_rfc2782Name_srvOnly() {
    assertThat(answerer.answer("_web._tcp.service.hivemind.", DnsTypes.SRV).answers()).hasSize(3);

    DnsAnswer a = answerer.answer("_web._tcp.service.hivemind.", DnsTypes.A);
    assertThat(a.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(a.answers()).isEmpty();
    assertThat(a.authority()).extracting(ResourceRecord::type).containsExactly(DnsTypes.SOA);
  }

  @Test
  void answer_tag_onlyTaggedInstances() {
    assertThat(addresses(answerer.answer("blue.web.service.hivemind.", DnsTypes.A)))
        .containsExactly("127.0.0.1");
    assertThat(answerer.answer("_web._green.service.hivemind.", DnsTypes.SRV).answers())
        .extracting(r -> ((Rdata.Srv) r.data()).port())
        .containsExactly(8081);
  }

  @Test
  void answer_unknownTag_nxdomainWithSoa() {
    DnsAnswer answer = answerer.answer("red.web.service.hivemind.", DnsTypes.A);

    assertThat(answer.rcode()).isEqualTo(DnsTypes.NXDOMAIN);
    assertThat(answer.authority()).extracting(ResourceRecord::type).containsExactly(DnsTypes.SOA);
  }

  @Test
  void answer_caseFolded() {
    assertThat(addresses(answerer.answer("WEB.Service.HIVEMIND.", DnsTypes.A))).hasSize(2);
    assertThat(addresses(answerer.answer("Blue.Web.service.hivemind", DnsTypes.A)))
        .containsExactly("127.0.0.1");
  }

  @Test
  void answer_instanceWithoutAddress_ownerNodeIsTarget() {
    DnsAnswer srv = answerer.answer("db.service.hivemind.", DnsTypes.SRV);

    assertThat(((Rdata.Srv) srv.answers().get(0).data()).target())
        .isEqualTo("node-a.node.hivemind.");
    assertThat(addresses(answerer.answer("db.service.hivemind.", DnsTypes.A)))
        .containsExactly("127.0.0.10");
  }

  @Test
  void answer_hostNameAddress_srvTargetIsTheHostAndNoA() {
    assertThat(
            ((Rdata.Srv)
                    answerer.answer("ext.service.hivemind.", DnsTypes.SRV).answers().get(0).data())
                .target())
        .isEqualTo("db.example.org.");
    DnsAnswer a = answerer.answer("ext.service.hivemind.", DnsTypes.A);
    assertThat(a.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(a.answers()).isEmpty();
  }

  @Test
  void answer_criticalAndWarningInstances_leftOut() {
    fixtures.add(
        DnsFixtures.instance("web", "web-3", "127.0.0.3", 1, List.of(), 1, HealthStatus.CRITICAL));
    fixtures.add(
        DnsFixtures.instance("web", "web-4", "127.0.0.4", 1, List.of(), 1, HealthStatus.WARNING));

    assertThat(addresses(answerer.answer("web.service.hivemind.", DnsTypes.A)))
        .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
  }

  @Test
  void answer_knownServiceWithNoPassingInstance_noDataWithSoa() {
    fixtures.add(
        DnsFixtures.instance("down", "d-1", "127.0.0.3", 1, List.of(), 1, HealthStatus.CRITICAL));

    DnsAnswer answer = answerer.answer("down.service.hivemind.", DnsTypes.A);

    assertThat(answer.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(answer.answers()).isEmpty();
    assertThat(answer.authority()).hasSize(1);
  }

  @Test
  void answer_unknownService_nxdomainWithSoaWhoseMinimumIsTheTtl() {
    DnsAnswer answer = answerer.answer("nope.service.hivemind.", DnsTypes.A);

    assertThat(answer.rcode()).isEqualTo(DnsTypes.NXDOMAIN);
    Rdata.Soa soa = (Rdata.Soa) answer.authority().get(0).data();
    assertThat(soa.minimum()).isEqualTo(5);
    assertThat(soa.mname()).isEqualTo("ns.hivemind.");
  }

  @Test
  void answer_namesThatNameNothing_nxdomain() {
    for (String name :
        List.of(
            "hivemind.service.hivemind.x.",
            "a.b.c.service.hivemind.",
            "service.hivemind.",
            "x.hivemind.",
            "web.nodes.hivemind.",
            "zz.addr.hivemind.",
            ".service.hivemind.")) {
      assertThat(answerer.answer(name, DnsTypes.A).rcode())
          .as(name)
          .isIn(DnsTypes.NXDOMAIN, DnsTypes.REFUSED);
    }
    assertThat(answerer.answer("a.b.c.service.hivemind.", DnsTypes.A).rcode())
        .isEqualTo(DnsTypes.NXDOMAIN);
  }

  @Test
  void answer_node_addressesFromMembership() {
    assertThat(addresses(answerer.answer("node-a.node.hivemind.", DnsTypes.A)))
        .containsExactly("127.0.0.10");
    assertThat(addresses(answerer.answer("NODE-B.node.hivemind.", DnsTypes.AAAA)))
        .containsExactly("0:0:0:0:0:0:0:1");
    assertThat(answerer.answer("node-c.node.hivemind.", DnsTypes.A).rcode())
        .isEqualTo(DnsTypes.NXDOMAIN);
    DnsAnswer noAaaa = answerer.answer("node-a.node.hivemind.", DnsTypes.AAAA);
    assertThat(noAaaa.rcode()).isEqualTo(DnsTypes.NOERROR);
    assertThat(noAaaa.answers()).isEmpty();
  }

  @Test
  void answer_environmentLabel_ownAnsweredOtherRefused() {
    assertThat(addresses(answerer.answer("web.service.development.hivemind.", DnsTypes.A)))
        .hasSize(2);
    assertThat(addresses(answerer.answer("node-a.node.development.hivemind.", DnsTypes.A)))
        .containsExactly("127.0.0.10");
    assertThat(answerer.answer("web.service.staging.hivemind.", DnsTypes.A).rcode())
        .isEqualTo(DnsTypes.REFUSED);
  }

  @Test
  void answer_outsideTheDomain_refused() {
    DnsAnswer answer = answerer.answer("example.org.", DnsTypes.A);

    assertThat(answer.rcode()).isEqualTo(DnsTypes.REFUSED);
    assertThat(answer.authority()).isEmpty();
  }

  @Test
  void answer_reverseOfMemberAddress_ptrToNodeName() {
    DnsAnswer v4 = answerer.answer("10.0.0.127.in-addr.arpa.", DnsTypes.PTR);
    assertThat(v4.answers())
        .extracting(r -> ((Rdata.Ptr) r.data()).target())
        .containsExactly("node-a.node.hivemind.");

    String v6 = "1." + "0.".repeat(31) + "ip6.arpa.";
    assertThat(answerer.answer(v6, DnsTypes.PTR).answers())
        .extracting(r -> ((Rdata.Ptr) r.data()).target())
        .containsExactly("node-b.node.hivemind.");
    assertThat(answerer.answer("9.0.0.127.in-addr.arpa.", DnsTypes.PTR).rcode())
        .isEqualTo(DnsTypes.NXDOMAIN);
  }

  @Test
  void answer_addrName_decodesTheAddress() {
    assertThat(addresses(answerer.answer("7f000001.addr.hivemind.", DnsTypes.A)))
        .containsExactly("127.0.0.1");
  }

  @Test
  void answer_apex_soa() {
    assertThat(answerer.answer("hivemind.", DnsTypes.SOA).answers())
        .extracting(ResourceRecord::type)
        .containsExactly(DnsTypes.SOA);
  }

  @Test
  void answer_otherDomain_usesIt() {
    DnsAnswerer consul =
        new DnsAnswerer("consul.example.", 30, DnsFixtures.ENV, fixtures, new SplittableRandom(1));

    assertThat(addresses(consul.answer("web.service.consul.example.", DnsTypes.A))).hasSize(2);
    assertThat(consul.answer("web.service.hivemind.", DnsTypes.A).rcode())
        .isEqualTo(DnsTypes.REFUSED);
  }

  @Test
  void answer_shuffledByWeight_heavierFirstInProportion() {
    DnsFixtures weighted =
        new DnsFixtures()
            .add(
                DnsFixtures.instance(
                    "api", "heavy", "127.0.0.1", 1, List.of(), 3, HealthStatus.PASSING))
            .add(
                DnsFixtures.instance(
                    "api", "light", "127.0.0.2", 1, List.of(), 1, HealthStatus.PASSING));
    DnsAnswerer shuffling =
        new DnsAnswerer("hivemind.", 5, DnsFixtures.ENV, weighted, new SplittableRandom(7));
    Map<String, Integer> firsts = new HashMap<>();

    for (int i = 0; i < 4000; i++) {
      firsts.merge(
          addresses(shuffling.answer("api.service.hivemind.", DnsTypes.A)).get(0), 1, Integer::sum);
    }

    // Expected 3000 / 1000; binomial sd ≈ 27, so ±150 fails only on a broken shuffle.
    assertThat(firsts.get("127.0.0.1")).isBetween(2850, 3150);
    assertThat(firsts.get("127.0.0.2")).isBetween(850, 1150);
  }

  private static List<String> addresses(DnsAnswer answer) {
    return answer.answers().stream()
        .map(r -> ((Rdata.Address) r.data()).address())
        .map(InetAddress::getHostAddress)
        .toList();
  }
}
