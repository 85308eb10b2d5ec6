package io.hivemind.bench;

import io.hivemind.client.HivemindClient;
import io.hivemind.client.StateMap;
import io.hivemind.client.StateRoutingStats;
import java.net.URI;

/**
 * Hivemind's partitioned store through {@code HivemindClient.state}: the client keeps the
 * partition-owners table and sends each call to the key's owner (one hop) over the binary state
 * client protocol, or over HTTP with {@code -Dhivemind.bench.httpOnly=true} (to compare the two in
 * one setting); a put is acknowledged after its owner's synchronous backups (the agents' {@code
 * syncBackups}, 1 by default).
 */
final class HivemindStateBackend implements StateBackend {

  private final HivemindClient client;
  private final StateMap map;

  HivemindStateBackend(URI agent, String mapName) {
    this.client =
        HivemindClient.connect(agent)
            .withBinaryState(!Boolean.getBoolean("hivemind.bench.httpOnly"));
    this.map = client.state(mapName);
  }

  /** Shows the calls went one hop: forwarded answers stop once the table is fetched. */
  @Override
  public String routing() {
    StateRoutingStats stats = client.stateRoutingStats();
    return "client routing: table version "
        + stats.tableVersion()
        + ", "
        + stats.calls()
        + " answers ("
        + stats.binaryCalls()
        + " over the binary state client protocol), "
        + stats.forwardedAnswers()
        + " forwarded by an agent, "
        + stats.tableFetches()
        + " table fetches, "
        + stats.fallbacks()
        + " fallbacks to the configured agent";
  }

  @Override
  public String name() {
    return "hivemind";
  }

  @Override
  public void put(String key, byte[] value) {
    map.put(key, value);
  }

  @Override
  public byte[] get(String key) {
    return map.get(key).map(entry -> entry.value()).orElse(null);
  }

  @Override
  public void close() {
    // Its binary connections; the JDK's HTTP client has no close on Java 17, its connections end
    // with the process.
    client.close();
  }
}
