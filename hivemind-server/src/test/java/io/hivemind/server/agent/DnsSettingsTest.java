package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.role.DnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsSettingsTest {

  @TempDir Path dir;

  @Test
  void resolve_noDnsSettings_wellKnownPortOnHttpHostAndDefaults() {
    AgentConfig config =
        AgentConfig.resolve(
            AgentSettingsSources.fromEnvironment(
                Map.of("HIVEMIND_ENV", "staging", "HIVEMIND_INSECURE_PLAINTEXT_GOSSIP", "true")),
            "n",
            dir);

    DnsConfig dns = config.nodeConfig().dns();
    assertThat(dns.bind().port()).isEqualTo(7322);
    assertThat(dns.bind().host()).isEqualTo(AgentConfig.DEFAULT_HTTP_HOST);
    assertThat(dns.domain()).isEqualTo("hivemind.");
    assertThat(dns.ttl()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void resolve_yamlEnvAndFlags_higherLayerWins() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "dns_port: 8600\ndns_domain: Consul.Example\ndns_ttl: 1m\n");
    AgentSettings fromFile = AgentSettingsSources.fromYaml(file);
    AgentSettings fromEnv = AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_DNS_TTL", "30"));

    DnsConfig dns = AgentConfig.resolve(fromFile.overlay(fromEnv), "n", dir).nodeConfig().dns();

    assertThat(dns.bind().port()).isEqualTo(8600);
    assertThat(dns.domain()).isEqualTo("consul.example.");
    assertThat(dns.ttl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void checked_badValues_sentenceNamesTheSetting() {
    assertThatThrownBy(
            () -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_DNS_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HIVEMIND_DNS_PORT '70000' is not a port: use a number from 0 to 65535");
    assertThatThrownBy(() -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_DNS_TTL", "2d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HIVEMIND_DNS_TTL '2d' is not a DNS TTL");
    assertThatThrownBy(
            () -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_DNS_DOMAIN", "a..b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HIVEMIND_DNS_DOMAIN 'a..b' is not a DNS domain");
  }

  @Test
  void resolve_recursors_ipLiteralsWithPort53ByDefault() {
    AgentSettings env =
        AgentSettingsSources.fromEnvironment(
            Map.of("HIVEMIND_DNS_RECURSORS", "192.0.2.53,[2001:db8::53]:5353"));

    DnsConfig dns = AgentConfig.resolve(env, "n", dir).nodeConfig().dns();

    assertThat(dns.recursors())
        .extracting(a -> a.host() + " " + a.port())
        .containsExactly("192.0.2.53 53", "2001:db8::53 5353");
  }

  @Test
  void checked_recursorHostName_refused() {
    assertThatThrownBy(
            () ->
                AgentSettingsSources.fromEnvironment(
                    Map.of("HIVEMIND_DNS_RECURSORS", "dns.example")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "HIVEMIND_DNS_RECURSORS 'dns.example' is not an IP address: use ip or ip:port (the agent"
                + " does not look up its own recursors)");
  }
}
