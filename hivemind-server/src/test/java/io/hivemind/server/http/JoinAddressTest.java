package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.membership.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JoinAddressTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.2:7340|10.0.0.2|7340",
        "10.0.0.2|10.0.0.2|7360",
        "node-2.example.com:1|node-2.example.com|1",
        "node_2|node_2|7360",
        "[::1]:7380|::1|7380",
        "[fe80::1%eth0]|fe80::1%eth0|7360",
        "fe80::1|fe80::1|7360",
        "::ffff:10.0.0.1|::ffff:10.0.0.1|7360"
      })
  void parse_validForms_hostAndPortWithDefault(String text, String host, int port) {
    assertThat(JoinAddress.parse(text, 7360)).isEqualTo(new Address(host, port));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "host:",
        "host:0",
        "host:65536",
        "host:99999999999",
        "host:-1",
        "host:7x",
        ":7360",
        "-host",
        "ho st",
        "host/x",
        "[::1",
        "[::1]7360",
        "[nothex]:1",
        "[]:1",
        "a:b:c:zz",
        "ho\u0000st"
      })
  void parse_malformed_sentenceNamingTheText(String text) {
    assertThatThrownBy(() -> JoinAddress.parse(text, 7360))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("join address");
  }

  @Test
  void parse_tooLong_rejectedWithoutEchoingTheText() {
    String text = "a".repeat(JoinAddress.MAX_LENGTH + 1);

    assertThatThrownBy(() -> JoinAddress.parse(text, 7360))
        .hasMessage("the join address is 261 characters; at most 260 fit");
  }
}
