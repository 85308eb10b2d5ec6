package io.hivemind.it.catalog;

import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.testkit.FreePorts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of the catalogue ITs' agents: every port a fresh loopback one, the local profile.
 */
final class CatalogAgentSettings {

  private CatalogAgentSettings() {}

  /**
   * An agent named {@code name} in {@code environment} and {@code cluster}, performing {@code
   * roles}, forming a group of {@code bootstrapExpect} voters (null: none), joining through {@code
   * seeds}, keeping its state under {@code root/name}.
   */
  static AgentSettings of(
      String name,
      String environment,
      String cluster,
      List<String> roles,
      Integer bootstrapExpect,
      List<String> seeds,
      Path root) {
    return new AgentSettings(
        name,
        environment,
        0,
        cluster,
        loopback(),
        null,
        loopback(),
        seeds,
        roles,
        Map.of(),
        "",
        "local",
        List.of(),
        null,
        null,
        new ControlSettings(
            root.resolve(name).toString(),
            bootstrapExpect,
            null,
            null,
            null,
            null,
            null,
            null,
            loopback(),
            loopback()));
  }

  /** A development agent named "dev" that is its cluster's only voter, as `hivemind dev` runs. */
  static AgentSettings devVoter(String cluster, Path root) {
    return of("dev", "development", cluster, List.of("control"), 1, List.of(), root);
  }

  private static String loopback() {
    return "127.0.0.1:" + FreePorts.tcpAndUdp();
  }
}
