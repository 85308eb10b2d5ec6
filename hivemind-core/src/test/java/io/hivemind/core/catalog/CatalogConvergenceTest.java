package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Owners change their instances and restart, messages are lost, duplicated and reordered, owners
 * are removed: after a round of digest repair every replica holds exactly what each admitted
 * owner's ledger holds, and nothing of a removed owner. Each seed replays.
 */
class CatalogConvergenceTest {

  private record Message(int to, Object body) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void replicas_underLossReorderAndRestarts_convergeToTheLedgers(long seed) {
    Random random = new Random(seed);
    int owners = 4;
    int replicas = 5;
    Map<String, OwnerLedger> ledgers = new TreeMap<>();
    for (int o = 0; o < owners; o++) {
      ledgers.put("o" + o, new OwnerLedger("o" + o, 1));
    }
    List<CatalogReplica> nodes = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      CatalogReplica replica = new CatalogReplica();
      ledgers.keySet().forEach(replica::ownerAdmitted);
      nodes.add(replica);
    }
    Set<String> removed = new HashSet<>();
    List<Message> inFlight = new ArrayList<>();

    for (int step = 0; step < 400; step++) {
      String owner = "o" + random.nextInt(owners);
      OwnerLedger ledger = ledgers.get(owner);
      if (removed.contains(owner)) {
        continue;
      }
      int action = random.nextInt(100);
      if (action < 60) {
        ledger.put(instance(owner, "svc" + random.nextInt(3), "i" + random.nextInt(8), step));
      } else if (action < 80) {
        ledger.remove("i" + random.nextInt(8));
      } else if (action < 83) {
        // The owner's process restarts: a new generation that re-registers some instances.
        OwnerLedger restarted = new OwnerLedger(owner, ledger.generation() + 1);
        ledger.instances().stream().filter(i -> random.nextBoolean()).forEach(restarted::put);
        ledgers.put(owner, restarted);
        ledger = restarted;
      } else if (action < 84 && removed.size() < owners - 1) {
        removed.add(owner);
        nodes.forEach(replica -> replica.ownerRemoved(owner));
        continue;
      }
      if (random.nextInt(3) == 0) {
        ledger
            .drain()
            .ifPresent(
                delta -> {
                  for (int r = 0; r < replicas; r++) {
                    if (random.nextInt(10) < 7) { // 30 % loss
                      inFlight.add(new Message(r, delta));
                    }
                    if (random.nextInt(10) == 0) { // duplicates
                      inFlight.add(new Message(r, delta));
                    }
                  }
                });
      }
      // Deliver a random message: reordering.
      if (!inFlight.isEmpty() && random.nextBoolean()) {
        Message message = inFlight.remove(random.nextInt(inFlight.size()));
        deliver(nodes.get(message.to()), message.body());
      }
      // Invariant at every step: nothing held for a removed owner.
      for (CatalogReplica replica : nodes) {
        for (String gone : removed) {
          assertThat(replica.version(gone)).isNull();
        }
      }
    }
    // Quiesce: the owners drain, late messages land, then each replica repairs from each owner.
    for (OwnerLedger ledger : ledgers.values()) {
      ledger.drain().ifPresent(delta -> nodes.forEach(replica -> replica.apply(delta)));
    }
    inFlight.forEach(message -> deliver(nodes.get(message.to()), message.body()));
    for (CatalogReplica replica : nodes) {
      for (OwnerLedger ledger : ledgers.values()) {
        if (!removed.contains(ledger.owner())) {
          // What a digest exchange with the owner's node sends: its state, if newer.
          CatalogReplica ownerSide = new CatalogReplica();
          ownerSide.ownerAdmitted(ledger.owner());
          ownerSide.apply(ledger.state());
          new DigestRepair()
              .answer(ownerSide.digest(), replica.digest(), owner -> true)
              .owners()
              .forEach(owner -> replica.apply(ownerSide.state(owner)));
        }
      }
    }

    for (CatalogReplica replica : nodes) {
      for (OwnerLedger ledger : ledgers.values()) {
        if (removed.contains(ledger.owner())) {
          assertThat(replica.state(ledger.owner())).isNull();
        } else {
          assertThat(replica.state(ledger.owner()).instances())
              .as("seed %d owner %s", seed, ledger.owner())
              .containsExactlyInAnyOrderElementsOf(ledger.instances());
        }
      }
      int expected =
          ledgers.values().stream()
              .filter(l -> !removed.contains(l.owner()))
              .mapToInt(l -> l.instances().size())
              .sum();
      assertThat(replica.view().instanceCount()).isEqualTo(expected);
      assertThat(replica.view().services().values().stream().mapToInt(List::size).sum())
          .isEqualTo(expected);
    }
  }

  private static void deliver(CatalogReplica replica, Object body) {
    if (body instanceof CatalogDelta delta) {
      replica.apply(delta);
    }
  }
}
