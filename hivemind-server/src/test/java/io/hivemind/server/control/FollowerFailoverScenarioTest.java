package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random scenarios: three gateways over one log die, go silent and come back while entries
 * are committed; the follower must end with the log's state, every index applied exactly once. A
 * failure prints its seed.
 */
class FollowerFailoverScenarioTest {

  private static final long HEARTBEAT_MILLIS = FollowerConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis();

  @Test
  void randomDeathsAndSilences_neverLoseOrRepeatAnEntry() {
    long failovers = 0;
    long silences = 0;
    long caughtUpBySnapshot = 0;
    for (long seed = 1; seed <= 30; seed++) {
      FollowerStats stats = run(seed);
      failovers += stats.failovers();
      silences += stats.silentGateways();
      caughtUpBySnapshot += stats.snapshots();
    }
    // The scenarios did exercise what they are about.
    assertThat(failovers).isGreaterThan(30);
    assertThat(silences).isPositive();
    assertThat(caughtUpBySnapshot).isPositive();
  }

  private static FollowerStats run(long seed) {
    Random random = new Random(seed);
    ManualLoop loop = new ManualLoop();
    MemoryGateways gateways = new MemoryGateways();
    // A small window, so that a follower away for long comes back through a snapshot.
    TestLog log = TestLog.bootstrapped(8, 8);
    List<Address> addresses =
        List.of(
            new Address("127.0.0.1", 7305),
            new Address("127.0.0.2", 7305),
            new Address("127.0.0.3", 7305));
    List<MemoryGateways.Gateway> all = addresses.stream().map(a -> gateways.add(a, log)).toList();
    FollowerControlPlane follower =
        new FollowerControlPlane(
            FollowerConfig.defaults(), loop, gateways, () -> addresses, new Random(seed));
    follower.start();
    int keys = 0;
    for (int step = 0; step < 200; step++) {
      MemoryGateways.Gateway gateway = all.get(random.nextInt(all.size()));
      switch (random.nextInt(6)) {
        case 0 -> gateway.kill();
        case 1 -> gateway.muted = true;
        case 2 -> gateway.revive();
        default -> {
          int count = 1 + random.nextInt(5);
          log.putKeys(keys, count);
          keys += count;
        }
      }
      all.stream().filter(g -> !g.muted).forEach(MemoryGateways.Gateway::heartbeat);
      loop.advance(random.nextInt((int) HEARTBEAT_MILLIS * 2));
    }
    all.forEach(MemoryGateways.Gateway::revive);
    loop.advanceUntil(() -> follower.view().index() == log.index(), 60_000 + 10 * HEARTBEAT_MILLIS);

    assertThat(follower.view().kv()).as("seed %d", seed).isEqualTo(log.view().kv());
    assertThat(follower.view().epoch()).as("seed %d", seed).isEqualTo(log.view().epoch());
    assertThat(follower.stats().gaps()).as("seed %d", seed).isZero();
    follower.close();
    loop.runPending();
    return follower.stats();
  }
}
