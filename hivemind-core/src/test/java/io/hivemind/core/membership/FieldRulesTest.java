package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The character sets and IP literal parser gossip records are held to. */
class FieldRulesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.0.0.1",
        "255.255.255.255",
        "192.168.1.10",
        "::",
        "::1",
        "1::",
        "fe80::1",
        "2001:db8::8a2e:370:7334",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "1:2:3:4:5:6:7::",
        "::1:2:3:4:5:6:7",
        "::ffff:10.0.0.1",
        "1:2:3:4:5:6:10.0.0.1",
        "ABCD:ef01::9"
      })
  void isIpLiteral_literals_accepted(String host) {
    assertThat(FieldRules.isIpLiteral(host)).as(host).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "h",
        "localhost",
        "db.example.com",
        "12?.0.0.1",
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "01.2.3.4",
        "1.2.3.4 ",
        "+1.2.3.4",
        "１.2.3.4",
        ":",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8::",
        "12345::1",
        "g::1",
        "[::1]",
        "fe80::1%eth0",
        "::ffff:256.0.0.1",
        "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4"
      })
  void isIpLiteral_namesAndMalformed_refused(String host) {
    assertThat(FieldRules.isIpLiteral(host)).as(host).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "7", "web-7", "db_2.eu-west", "node-0001", "Node.A"})
  void isNodeName_configAcceptedNames_accepted(String name) {
    assertThat(FieldRules.isNodeName(name)).isTrue();
    assertThat(FieldRules.isNodeName("a".repeat(NodeIdentity.MAX_NAME_BYTES))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", ".a", "_a", "a b", "a\r", "a\u0007", "a\u007f", "é", "a/b"})
  void isNodeName_outsideTheSet_refused(String name) {
    assertThat(FieldRules.isNodeName(name)).isFalse();
    assertThat(FieldRules.isNodeName("a".repeat(NodeIdentity.MAX_NAME_BYTES + 1))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"control", "catalog", "dns", "host", "new-role.v2"})
  void isRole_lowerCaseNames_accepted(String role) {
    assertThat(FieldRules.isRole(role)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "DNS", "Host", "a b", "-dns"})
  void isRole_otherwise_refused(String role) {
    assertThat(FieldRules.isRole(role)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void tags_keysNamesValuesWithoutControlCharacters() {
    assertThat(FieldRules.badTag(Map.of("rack", "r1 / row 2 — é", "a", ""))).isNull();
    assertThat(FieldRules.badTag(Map.of("rack", "x".repeat(256)))).isNull();
    assertThat(FieldRules.badTag(Map.of("rack", "x".repeat(257)))).isEqualTo("rack");
    assertThat(FieldRules.badTag(Map.of("rack", "a\tb"))).isEqualTo("rack");
    assertThat(FieldRules.badTag(Map.of("rack", "a\u0085b"))).isEqualTo("rack");
    assertThat(FieldRules.badTag(Map.of("ra ck", "1"))).isEqualTo("ra ck");
    assertThat(FieldRules.isZone("")).isTrue();
    assertThat(FieldRules.isZone("eu-west-1a")).isTrue();
    assertThat(FieldRules.isZone("eu west")).isFalse();
  }

  /** The local node is held to the rule its peers apply, or they would drop every word about it. */
  @org.junit.jupiter.api.Test
  void nodeIdentity_nameOutsideTheSet_refusedAtConstruction() {
    Address address = new Address("10.0.0.1", 7946);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NodeIdentity.of("web 7", address, "c", io.hivemind.api.Environment.TESTING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'web 7'");
    assertThat(NodeIdentity.of("web-7", address, "c", io.hivemind.api.Environment.TESTING).name())
        .isEqualTo("web-7");
  }
}
