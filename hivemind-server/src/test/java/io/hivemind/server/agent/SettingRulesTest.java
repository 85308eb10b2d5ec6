package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.NodeIdentity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each setting's rule and its sentence: setting name, value, what is accepted. */
class SettingRulesTest {

  private static final String NAME_RULE =
      "ASCII letters, digits, '-', '_' and '.', starting with a letter or digit";

  /** The environment layer names each setting by its variable. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HIVEMIND_NODE_NAME|''|HIVEMIND_NODE_NAME '' is not a valid node name: it is empty; use 1"
            + " to 128 bytes of "
            + NAME_RULE,
        "HIVEMIND_NODE_NAME|web 7|HIVEMIND_NODE_NAME 'web 7' is not a valid node name: ' ' at"
            + " position 4 is not allowed; use 1 to 128 bytes of "
            + NAME_RULE,
        "HIVEMIND_NODE_NAME|.hidden|HIVEMIND_NODE_NAME '.hidden' is not a valid node name: it"
            + " starts with '.'; use 1 to 128 bytes of "
            + NAME_RULE,
        "HIVEMIND_NODE_NAME|wéb|HIVEMIND_NODE_NAME 'wéb' is not a valid node name: 'é' at position"
            + " 2 is not allowed; use 1 to 128 bytes of "
            + NAME_RULE,
        "HIVEMIND_CLUSTER|''|HIVEMIND_CLUSTER '' is not a valid cluster name: it is empty; use 1 to"
            + " 64 bytes of "
            + NAME_RULE,
        "HIVEMIND_ZONE|eu west|HIVEMIND_ZONE 'eu west' is not a valid zone: ' ' at position 3 is"
            + " not allowed; use nothing, or 1 to 64 bytes of "
            + NAME_RULE,
        "HIVEMIND_ENV|prod|HIVEMIND_ENV 'prod' is not an environment: use production, staging,"
            + " testing or development",
        "HIVEMIND_INSTANCE|2|HIVEMIND_INSTANCE 2 is not an instance: use 0 or 1",
        "HIVEMIND_INSTANCE|one|HIVEMIND_INSTANCE 'one' is not an instance: use 0 or 1",
        "HIVEMIND_PROFILE|fast|HIVEMIND_PROFILE 'fast' is not a profile: use lan, wan or local",
        "HIVEMIND_LOG_FORMAT|xml|HIVEMIND_LOG_FORMAT 'xml' is not a log format: use text or json",
        "HIVEMIND_ROLES|host,web|HIVEMIND_ROLES 'web' is not a role: use catalog, control, dns,"
            + " host or probe",
        "HIVEMIND_ROLES|''|HIVEMIND_ROLES is empty: a node performs at least one of catalog,"
            + " control, dns, host or probe",
        "HIVEMIND_TAGS|rack|HIVEMIND_TAGS 'rack' is not a tag: use key=value, several separated by"
            + " commas",
        "HIVEMIND_TAGS|rack id=r1|HIVEMIND_TAGS key 'rack id' is not a valid tag key: ' ' at"
            + " position 5 is not allowed; use 1 to 64 bytes of "
            + NAME_RULE,
        "HIVEMIND_TAGS|=r1|HIVEMIND_TAGS key '' is not a valid tag key: it is empty; use 1 to 64"
            + " bytes of "
            + NAME_RULE,
        "HIVEMIND_SEEDS|10.0.0.1 10.0.0.2|HIVEMIND_SEEDS '10.0.0.1 10.0.0.2' is not an address: ' '"
            + " at position 9 cannot be part of a host; use host, host:port or [IPv6]:port",
        "HIVEMIND_SEEDS|10.0.0.1:99999|HIVEMIND_SEEDS '10.0.0.1:99999' is not an address: port"
            + " '99999' is not a number from 1 to 65535; use host, host:port or [IPv6]:port",
        "HIVEMIND_SEEDS|10.0.0.1:0|HIVEMIND_SEEDS '10.0.0.1:0' is not an address: port '0' is not a"
            + " number from 1 to 65535; use host, host:port or [IPv6]:port",
        "HIVEMIND_BIND|:7000|HIVEMIND_BIND ':7000' is not an address: it has no host; use host,"
            + " host:port or [IPv6]:port",
        "HIVEMIND_BIND|[fe80::1|HIVEMIND_BIND '[fe80::1' is not an address: '[' has no matching"
            + " ']'; use host, host:port or [IPv6]:port",
        "HIVEMIND_BIND|[fe80::1]7000|HIVEMIND_BIND '[fe80::1]7000' is not an address: expected"
            + " ':port' after ']'; use host, host:port or [IPv6]:port",
        "HIVEMIND_BIND|[web-7]:7000|HIVEMIND_BIND '[web-7]:7000' is not an address: 'web-7' is not"
            + " an IPv6 address; use host, host:port or [IPv6]:port",
        "HIVEMIND_HTTP_BIND|127.0.0.1:http|HIVEMIND_HTTP_BIND '127.0.0.1:http' is not an address:"
            + " port 'http' is not a number from 0 to 65535; use host, host:port or [IPv6]:port",
        "HIVEMIND_ADVERTISE|0.0.0.0|HIVEMIND_ADVERTISE '0.0.0.0' is not an address other nodes can"
            + " reach: it is the wildcard address; use this host's address, or leave"
            + " HIVEMIND_ADVERTISE unset to derive it from the bind address",
        "HIVEMIND_INSECURE_PLAINTEXT_GOSSIP|yes|HIVEMIND_INSECURE_PLAINTEXT_GOSSIP 'yes' is not a"
            + " boolean: use true or false",
      })
  void environmentLayer_badValue_sentenceNamesVariableValueAndWhatIsAccepted(
      String variable, String value, String sentence) {
    assertThatThrownBy(() -> AgentSettingsSources.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(sentence);
  }

  @Test
  void nodeName_boundIsTheCoresInBytes_longNamesAreCutInTheSentence() {
    assertThat(NodeIdentity.MAX_NAME_BYTES).isEqualTo(128);
    assertThat(SettingRules.NODE_NAME.check("a".repeat(128), "--node")).hasSize(128);

    assertThatThrownBy(() -> SettingRules.NODE_NAME.check("a".repeat(300), "--node"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--node '"
                + "a".repeat(40)
                + "...' is not a valid node name: it is 300 bytes; use 1 to 128 bytes of "
                + NAME_RULE);
    assertThatThrownBy(() -> SettingRules.NODE_NAME.check("a".repeat(129), "--node"))
        .hasMessageContaining("it is 129 bytes");
  }

  @Test
  void nodeName_whateverConfigAccepts_theCoreAccepts() {
    for (String name : new String[] {"a", "web-7", "db_2.eu-west", "A".repeat(128), "7"}) {
      SettingRules.NODE_NAME.check(name, "n");
      NodeIdentity.of(name, new Address("h", 1), "c", Environment.TESTING);
    }
  }

  @Test
  void quote_controlCharactersEscaped() {
    assertThatThrownBy(() -> SettingRules.NODE_NAME.check("web\n7", "--node"))
        .hasMessageStartingWith(
            "--node 'web\\u000a7' is not a valid node name: U+000A at position 4 is not allowed;");
  }

  @Test
  void tags_valueBoundAndControlCharacters_countBound() {
    assertThatThrownBy(() -> SettingRules.tags(Map.of("rack", "v".repeat(257)), "--tag"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--tag rack='"
                + "v".repeat(40)
                + "...' is not a valid tag value: it is 257 bytes; use at most 256 bytes of text"
                + " without control characters");
    assertThatThrownBy(() -> SettingRules.tags(Map.of("rack", "r\t1"), "--tag"))
        .hasMessage(
            "--tag rack='r\\u00091' is not a valid tag value: U+0009 at position 2 is not allowed;"
                + " use at most 256 bytes of text without control characters");
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("k" + i, "");
    }
    assertThatThrownBy(() -> SettingRules.tags(many, "tags"))
        .hasMessage("tags sets 65 tags: use at most 64 (fewer is better)");
    assertThat(SettingRules.tags(Map.of("tier", "web front, v1.2 (ü)", "empty", ""), "tags"))
        .containsEntry("tier", "web front, v1.2 (ü)")
        .containsEntry("empty", "");
  }

  @Test
  void roles_anyCaseKnown_unknownListsTheKnownOnes() {
    assertThat(SettingRules.roles(List.of("HOST", " dns "), "--role"))
        .containsExactlyInAnyOrder("host", "dns");
    assertThatThrownBy(() -> SettingRules.roles(List.of("hosts"), "--role"))
        .hasMessage("--role 'hosts' is not a role: use catalog, control, dns, host or probe");
  }

  @ParameterizedTest
  @CsvSource({
    "[fe80::1]:7000,fe80::1,7000",
    "fe80::1,fe80::1,1",
    "[fe80::1%eth0]:7,fe80::1%eth0,7",
    "[::ffff:10.0.0.1],::ffff:10.0.0.1,1",
    "web-7.example:80,web-7.example,80",
    "db_2,db_2,1",
    " 10.0.0.1 ,10.0.0.1,1"
  })
  void hostPort_acceptedForms(String text, String host, int port) {
    assertThat(HostPort.parse(text, 1, "x")).isEqualTo(new Address(host, port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.0.0.1:80", "a,b", "[fe80::1%]:7", "[]:7", "LONG"})
  void hostPort_notAnAddress_sentence(String value) {
    String text = value.equals("LONG") ? "x".repeat(254) : value;
    assertThatThrownBy(() -> HostPort.parse(text, 1, "--seed"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--seed '")
        .hasMessageContaining("is not an address: ")
        .hasMessageEndingWith("; use host, host:port or [IPv6]:port");
  }

  @Test
  void settings_threeSpellingsEach_allDistinct() {
    Set<String> spellings = new HashSet<>();
    for (Setting setting : Setting.values()) {
      String expected = setting == Setting.ENVIRONMENT ? "ENV" : setting.name();
      assertThat(setting.variable()).isEqualTo("HIVEMIND_" + expected);
      assertThat(setting.yamlKey()).isEqualTo(setting.name().toLowerCase(Locale.ROOT));
      assertThat(spellings.add(setting.flag())).as(setting.flag()).isTrue();
    }
  }
}
