package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.inSession;
import static io.hivemind.core.catalog.Instances.instance;
import static io.hivemind.core.catalog.Instances.withCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OwnerLedgerTest {

  private final OwnerLedger ledger = new OwnerLedger("a", 7);

  @Test
  void drain_aBurstOfChanges_travelsAsOneDeltaWithFinalStates() {
    ledger.put(instance("a", "web", "w1", 80));
    ledger.put(instance("a", "web", "w1", 81));
    ledger.put(instance("a", "web", "w2", 80));
    ledger.remove("w2");

    CatalogDelta delta = ledger.drain().orElseThrow();

    assertThat(delta.fromSeq()).isZero();
    assertThat(delta.toSeq()).isEqualTo(1);
    assertThat(delta.generation()).isEqualTo(7);
    assertThat(delta.upserts()).extracting(ServiceInstance::port).containsExactly(81);
    assertThat(delta.removedIds()).containsExactly("w2");
    assertThat(ledger.drain()).isEmpty();
  }

  @Test
  void put_unchangedInstance_drainsNothing() {
    ledger.put(instance("a", "web", "w1", 80));
    ledger.drain();

    ledger.put(instance("a", "web", "w1", 80));

    assertThat(ledger.drain()).isEmpty();
  }

  @Test
  void put_anotherOwnersInstance_isRefused() {
    assertThatThrownBy(() -> ledger.put(instance("b", "web", "w1", 80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b");
  }

  @Test
  void removeSession_removesOnlyThatSessionsInstances() {
    ledger.put(inSession("a", "web", "w1", "s1"));
    ledger.put(inSession("a", "web", "w2", "s2"));

    assertThat(ledger.removeSession("s1")).containsExactly("w1");
    assertThat(ledger.instances()).extracting(ServiceInstance::id).containsExactly("w2");
  }

  @Test
  void updateCheck_outputOnlyChange_isKeptLocallyButNotReplicated() {
    ledger.put(withCheck("a", "web", "w1", HealthStatus.PASSING));
    ledger.drain();

    assertThat(ledger.updateCheck("w1", "c-w1", HealthStatus.PASSING, "200 OK at 12:00")).isTrue();
    assertThat(ledger.drain()).isEmpty();
    assertThat(ledger.latestOutput("w1", "c-w1")).contains("200 OK at 12:00");

    assertThat(ledger.updateCheck("w1", "c-w1", HealthStatus.CRITICAL, "503")).isTrue();
    CatalogDelta delta = ledger.drain().orElseThrow();
    assertThat(delta.upserts().get(0).health()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(ledger.updateCheck("w1", "nope", HealthStatus.PASSING, "")).isFalse();
    assertThat(ledger.updateCheck("nope", "c-w1", HealthStatus.PASSING, "")).isFalse();
  }

  @Test
  void ledgerAndReplica_drainedDeltasReproduceTheLedgersState() {
    CatalogReplica replica = new CatalogReplica();
    replica.ownerAdmitted("a");
    for (int i = 0; i < 50; i++) {
      ledger.put(instance("a", "svc" + (i % 5), "i" + i, i));
      if (i % 3 == 0) {
        ledger.remove("i" + (i / 2));
      }
      if (i % 4 == 0) {
        ledger.drain().ifPresent(replica::apply);
      }
    }
    ledger.drain().ifPresent(replica::apply);

    assertThat(replica.state("a").instances())
        .containsExactlyInAnyOrderElementsOf(ledger.instances());
    assertThat(replica.version("a")).isEqualTo(ledger.version());
  }
}
