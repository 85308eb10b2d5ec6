package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentAddressOptionsTest {

  private static URI uri(String httpAddr, Environment environment) {
    AgentAddressOptions options = new AgentAddressOptions();
    options.httpAddr = httpAddr;
    options.environment = environment;
    return options.agentUri();
  }

  @ParameterizedTest
  @CsvSource({
    "PRODUCTION,http://127.0.0.1:7301",
    "STAGING,http://127.0.0.1:7321",
    "TESTING,http://127.0.0.1:7341",
    "DEVELOPMENT,http://127.0.0.1:7361"
  })
  void noHttpAddr_loopbackOnTheEnvironmentsHttpPort(Environment environment, String expected) {
    assertThat(uri(null, environment)).isEqualTo(URI.create(expected));
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.5,http://10.0.0.5:7341",
    "10.0.0.5:8000,http://10.0.0.5:8000",
    "agent.example:8000,http://agent.example:8000",
    "[::1],http://[::1]:7341",
    "[::1]:8000,http://[::1]:8000",
    "http://10.0.0.5,http://10.0.0.5:7341",
    "http://10.0.0.5:8000/,http://10.0.0.5:8000",
    "https://agent.example:8443,https://agent.example:8443"
  })
  void httpAddr_hostPortOrUrl_portDefaultsToTheEnvironments(String httpAddr, String expected) {
    assertThat(uri(httpAddr, Environment.TESTING)).isEqualTo(URI.create(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "host:notaport",
        "host:0",
        "host:70000",
        "ftp://host:1",
        "http://host:1/path",
        "http://host:1?x=1",
        "http://user@host:1",
        "not a host",
        "::1"
      })
  void httpAddr_malformed_sentenceNamingTheValue(String httpAddr) {
    assertThatThrownBy(() -> uri(httpAddr, Environment.DEVELOPMENT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'" + httpAddr + "' is not an agent address: use host:port or http://host:port");
  }
}
