package io.hivemind.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdvertiseAddressTest {

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3, true",
    "172.16.0.1, true",
    "172.31.255.255, true",
    "172.32.0.1, false",
    "192.168.10.1, true",
    "100.64.0.1, true",
    "100.127.255.254, true",
    "100.128.0.1, false",
    "192.0.2.2, false",
    "8.8.8.8, false",
    "fd00::1, false"
  })
  void isPrivate_rfc1918AndSharedSpaceOnly(String literal, boolean expected)
      throws UnknownHostException {
    // Literals only: getByName parses them without a lookup.
    assertThat(AdvertiseAddress.isPrivate(InetAddress.getByName(literal))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.7, 10.0.0.7",
    "::1, 0:0:0:0:0:0:0:1",
    "fe80::1%1, fe80:0:0:0:0:0:0:1",
    "localhost, 127.0.0.1"
  })
  void ipLiteral_literalsKeptNamesResolvedScopesDropped(String host, String literal) {
    assertThat(AdvertiseAddress.ipLiteral(host)).isEqualTo(literal);
  }
}
