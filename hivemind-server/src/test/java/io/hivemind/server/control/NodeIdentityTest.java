package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

  @TempDir Path dataDir;

  @Test
  void load_keepsTheIdAcrossRestarts() {
    String first = NodeIdentity.load(dataDir).id();

    assertThat(NodeIdentity.load(dataDir).id()).isEqualTo(first);
  }

  @Test
  void renew_drawsAndPersistsANewId() {
    NodeIdentity identity = NodeIdentity.load(dataDir);
    String old = identity.id();

    String renewed = identity.renew();

    assertThat(renewed).isNotEqualTo(old);
    assertThat(NodeIdentity.load(dataDir).id()).isEqualTo(renewed);
  }

  @Test
  void load_replacesAFileThatHoldsNoId() throws Exception {
    Files.writeString(dataDir.resolve("node-id"), "garbage\u0000");

    String id = NodeIdentity.load(dataDir).id();

    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(Files.readString(dataDir.resolve("node-id")).trim()).isEqualTo(id);
  }

  @Test
  void load_createsAMissingDataDirectory() {
    Path nested = dataDir.resolve("a/b");

    NodeIdentity.load(nested);

    assertThat(nested.resolve("node-id")).exists();
  }
}
