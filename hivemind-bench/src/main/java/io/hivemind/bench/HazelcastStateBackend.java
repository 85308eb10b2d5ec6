package io.hivemind.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.List;

/**
 * Hazelcast's client with smart routing (its default: it keeps the partition table and sends each
 * operation to the partition's owner, one hop, as Hivemind's client does), on one {@code IMap}
 * whose members keep one synchronous backup ({@link HazelcastMember}).
 */
final class HazelcastStateBackend implements StateBackend {

  private final HazelcastInstance client;
  private final IMap<String, byte[]> map;

  HazelcastStateBackend(String clusterName, List<String> members, String mapName) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The figures' output stays a table; a failed call still fails the load with its exception.
    config.setProperty("hazelcast.logging.type", "none");
    // ALL_MEMBERS is Hazelcast 5.5+'s name for smart routing (the default, set for clarity).
    config.getNetworkConfig().setAddresses(members);
    config.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.ALL_MEMBERS);
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(30_000);
    this.client = HazelcastClient.newHazelcastClient(config);
    this.map = client.getMap(mapName);
  }

  @Override
  public String name() {
    return "hazelcast";
  }

  @Override
  public void put(String key, byte[] value) {
    // set: no previous value sent back, like Hivemind's put (which answers the new version only).
    map.set(key, value);
  }

  @Override
  public byte[] get(String key) {
    return map.get(key);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
