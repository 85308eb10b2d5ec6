package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The client's own version, read from its jar's manifest. The client's other tests talk to an HTTP
 * server and live in hivemind-it ({@code HivemindClientIT}).
 */
class HivemindClientVersionTest {

  @Test
  void version_devFromClasses() {
    // Unit tests run from target/classes, which has no manifest.
    assertThat(HivemindClient.version()).isEqualTo("dev");
  }
}
