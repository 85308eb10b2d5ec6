package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files found by the fuzz suite (hivemind-fuzz, ConfigReaderFuzzTest) to be misread
 * or to be answered with Java's words: each is now one sentence that names the file and shows no
 * Java.
 */
class YamlSettingsHostileInputTest {

  @TempDir Path dir;

  private Path yaml(byte[] bytes) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.write(file, bytes);
    return file;
  }

  private Path yaml(String text) throws IOException {
    return yaml(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void alias_wasReadAsItsAnchorsName_isRefused() throws IOException {
    Path file = yaml("node_name: &n web-7\ncluster: *n\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file
                + ": the alias '*n' (line 2, column 10) is not read: settings do not follow YAML"
                + " aliases; write the value itself");
  }

  @Test
  void anchorWithoutAlias_isJustItsValue() throws IOException {
    assertThat(AgentSettingsSources.fromYaml(yaml("node_name: &n web-7\n")).nodeName())
        .isEqualTo("web-7");
  }

  @Test
  void aliasBomb_billionLaughs_isRefusedAtItsFirstAlias() throws IOException {
    StringBuilder bomb = new StringBuilder("seeds:\n  - &l0 [lol, lol]\n");
    for (int level = 1; level < 9; level++) {
      bomb.append("  - &l").append(level).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (level - 1))));
      bomb.append("]\n");
    }
    Path file = yaml(bomb.toString());

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": the alias '*l0' (line 3, column 10) is not read");
  }

  @Test
  void nesting_overJacksonsBound_oneSentenceWithoutJava() throws IOException {
    Path file = yaml("seeds: " + "[".repeat(1_001) + "x" + "]".repeat(1_001) + "\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "configuration file "
                + file
                + " is not settings: Document nesting depth (1001) exceeds the maximum allowed"
                + " (1000)");
  }

  @Test
  void bytesThatAreNotUtf8_saySo() throws IOException {
    Path file = yaml(new byte[] {'z', 'o', 'n', 'e', ':', ' ', (byte) 0xEE, 'a', '\n'});

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("configuration file " + file + " is not UTF-8 text: ")
        .hasMessageNotContaining("java.");
  }

  @Test
  void escapeCutShort_noJavaExceptionName() throws IOException {
    Path file = yaml("nodename:\n  - 2147483648\n  - \"\\u00e9\\u");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("configuration file " + file + " is not valid YAML")
        .hasMessageNotContaining("java.")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void valueWithANewline_isQuotedOnOneLine() throws IOException {
    // A plain scalar folded over a line that looks like a list item: one value with a newline.
    Path file = yaml("seeds: 10.0.0.11, 10.0.0.12\n\n  - !<tag:yaml.org-2002:str> \n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not an IPv6 address")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  @Test
  void unknownKeyWithANewline_isQuotedOnOneLine() throws IOException {
    // A complex key ("? ...") folded over two lines: one unknown key with a newline in it.
    Path file = yaml("? k:%YAML 1.1\n\n  - &v1 [a] *v1\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": unknown key 'k:%YAML 1.1\\u000a- &v1 [a] *v1'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  @Test
  void valueWithAUnicodeLineSeparator_isEscaped() throws IOException {
    Path file = yaml("zone: \"a\\u2028b\"\n"); // YAML's escape: the value holds U+2028

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'a\\u2028b'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u2028"));
  }

  @Test
  void parserStoppingAtALineSeparator_showsItEscaped() throws IOException {
    Path file = yaml("instance: &\u2028v0 [a]\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML")
        .hasMessageContaining("\\u2028")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u2028"));
  }

  @Test
  void tagKeyWithALineSeparator_isEscapedAndCut() throws IOException {
    Path file = yaml("tags: {\"r\\u2028" + "2".repeat(600) + "\": }\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": tags 'r\\u2028222")
        .hasMessageContaining("...' is nothing: each tag has a single value")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u2028").hasSizeLessThan(300));
  }

  @Test
  void mapAsAKey_namesTheMapNotSnakeYamlsEvent() throws IOException {
    Path file = yaml("{a: b}: c\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got this instead: a map")
        .hasMessageNotContaining("org.yaml");
  }
}
