package io.hivemind.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1", "10.1.2.3", "255.255.255.255", "::1", "fe80::1", "::ffff:10.0.0.1"})
  void parseIpAddress_literals_accepted(String text) {
    assertThat(CertificateNames.parseIpAddress(text)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "1.2.3",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.4.5",
        "::g",
        "fe80::1%eth0",
        "1::2::3"
      })
  void parseIpAddress_nonLiterals_refusedWithTheValue(String text) {
    assertThatThrownBy(() -> CertificateNames.parseIpAddress(text))
        .isInstanceOf(TlsException.class)
        .hasMessageStartingWith("'" + text + "' is not an IP address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "node-1", "a.b.example.com", "x1", "1node"})
  void isDnsName_hostNames_accepted(String name) {
    assertThat(CertificateNames.isDnsName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a..b", "a_b", "a b", "*.example.com", "a.", "é.com"})
  void requireDnsName_badNames_refusedWithTheValue(String name) {
    assertThatThrownBy(() -> CertificateNames.requireDnsName(name))
        .isInstanceOf(TlsException.class)
        .hasMessageStartingWith("'" + name + "' is not a DNS name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-x", "a/b", "../x", "a b", ".hidden"})
  void requireNodeName_unsafeNames_refused(String name) {
    assertThatThrownBy(() -> CertificateNames.requireNodeName(name))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("is not a valid node name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-1", "n_1", "a.b", "X9"})
  void requireNodeName_memberNames_accepted(String name) {
    assertThat(CertificateNames.requireNodeName(name)).isEqualTo(name);
  }

  @Test
  void requireNodeName_ca_refusedBecauseItsFilesAreTheCas() {
    assertThatThrownBy(() -> CertificateNames.requireNodeName("ca"))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("would be the CA's ca.pem and ca-key.pem");
  }
}
