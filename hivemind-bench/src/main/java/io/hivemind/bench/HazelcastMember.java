package io.hivemind.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Arrays;
import java.util.List;

/**
 * One Hazelcast 5 member for {@code hivemind-bench/scripts/state-vs-hazelcast.sh}: loopback only,
 * TCP-IP join to the listed members (no multicast, no auto-detection, no phone-home), and every map
 * with one synchronous backup ({@code backup-count 1}, no async backup, reads at the owner only):
 * the same guarantees as Hivemind's store with {@code syncBackups} 1.
 *
 * <p>{@code java -cp benchmarks.jar io.hivemind.bench.HazelcastMember CLUSTER PORT
 * 127.0.0.1:P1,127.0.0.1:P2,...}: runs until killed.
 */
public final class HazelcastMember {

  private HazelcastMember() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: HazelcastMember CLUSTER PORT HOST:PORT[,HOST:PORT...]");
      System.exit(2);
    }
    HazelcastInstance member =
        Hazelcast.newHazelcastInstance(
            config(args[0], Integer.parseInt(args[1]), Arrays.asList(args[2].split(","))));
    System.out.println("member started: " + member.getCluster().getLocalMember());
  }

  static Config config(String clusterName, int port, List<String> members) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    MapConfig maps =
        new MapConfig("*").setBackupCount(1).setAsyncBackupCount(0).setReadBackupData(false);
    config.addMapConfig(maps);
    return config;
  }
}
