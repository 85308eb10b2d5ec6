package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnerLedgerDrainAllTest {

  private static ServiceInstance web(String id) {
    return new ServiceInstance(
        "web",
        id,
        "",
        80,
        List.of(),
        Map.of(),
        Weights.DEFAULT,
        Environment.TESTING,
        "a",
        ServiceInstance.AGENT_SESSION,
        List.of());
  }

  @Test
  void drainAll_ofAnEmptyLedger_isAnEmptyDeltaThatAdvancesTheSequence() {
    OwnerLedger ledger = new OwnerLedger("a", 5);

    CatalogDelta whole = ledger.drainAll();

    assertThat(whole.fromSeq()).isZero();
    assertThat(whole.toSeq()).isEqualTo(1);
    assertThat(whole.upserts()).isEmpty();
    assertThat(ledger.version()).isEqualTo(new OwnerVersion(5, 1));
    assertThat(ledger.drain()).isEmpty();
  }

  @Test
  void drainAll_carriesEveryInstance_drainedOrNot_andTheNextDrainFollowsOn() {
    OwnerLedger ledger = new OwnerLedger("a", 5);
    ledger.put(web("w1"));
    ledger.drain();
    ledger.put(web("w2"));
    ledger.put(web("w3"));
    ledger.remove("w3");

    CatalogDelta whole = ledger.drainAll();

    assertThat(whole.fromSeq()).isEqualTo(1);
    assertThat(whole.upserts()).containsExactly(web("w1"), web("w2"));
    assertThat(whole.removedIds()).containsExactly("w3");
    ledger.put(web("w4"));
    assertThat(ledger.drain().orElseThrow().fromSeq()).isEqualTo(2);
  }
}
