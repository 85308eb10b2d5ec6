package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link CatalogView#plus}: entries joined to a replica's snapshot through its persistent trees
 * answer as the same join over plain maps, and leave the snapshot they came from as it was.
 */
class CatalogViewTest {

  private final CatalogReplica replica = new CatalogReplica();

  private CatalogView replicaView() {
    replica.ownerAdmitted("a");
    replica.apply(
        new CatalogDelta(
            "a",
            1,
            0,
            1,
            List.of(instance("a", "web", "w1", 80), instance("a", "Web", "w2", 81)),
            List.of()));
    return replica.view();
  }

  private static List<CatalogEntry> extra() {
    return List.of(
        new CatalogEntry(instance("ext", "web", "e1", 90), 3, 3),
        new CatalogEntry(instance("ext", "WEB", "e2", 91), 4, 4),
        new CatalogEntry(instance("ext", "db", "e3", 92), 5, 5),
        new CatalogEntry(instance("ext", "web", "e4", 93), 6, 6));
  }

  @Test
  void plus_onPersistentTrees_answersAsOnPlainMaps_andLeavesTheSnapshotAlone() {
    CatalogView own = replicaView();
    CatalogView plain =
        new CatalogView(
            own.index(),
            Collections.unmodifiableNavigableMap(new TreeMap<>(own.services())),
            Map.copyOf(own.serviceIndexes()),
            own.instanceCount());

    CatalogView persistent = own.plus(9, Map.of("web", 7L), extra());
    CatalogView copied = plain.plus(9, Map.of("web", 7L), extra());

    assertThat(persistent.services()).isEqualTo(copied.services());
    assertThat(persistent.foldedNames()).isEqualTo(copied.foldedNames());
    assertThat(persistent.instances("web"))
        .extracting(entry -> entry.instance().id())
        .containsExactly("w1", "e1", "e4");
    assertThat(persistent.serviceNames()).containsExactly("WEB", "Web", "db", "web");
    assertThat(persistent.instancesIgnoringCase("wEb"))
        .extracting(entry -> entry.instance().id())
        .containsExactly("e2"); // "WEB" is the least of the names folding alike
    assertThat(persistent.instancesIgnoringCase("DB")).hasSize(1);
    assertThat(persistent.instanceCount()).isEqualTo(6);
    assertThat(persistent.index()).isEqualTo(9);
    assertThat(persistent.serviceIndex("web")).isEqualTo(7);

    assertThat(own.serviceNames()).containsExactly("Web", "web");
    assertThat(own.instancesIgnoringCase("WEB"))
        .extracting(entry -> entry.instance().id())
        .containsExactly("w2");
    assertThat(own.instanceCount()).isEqualTo(2);
  }

  @Test
  void plus_nothing_keepsTheServicesWithNewIndexes() {
    CatalogView own = replicaView();

    CatalogView plus = own.plus(9, Map.of(), List.of());

    assertThat(plus.services()).isSameAs(own.services());
    assertThat(plus.index()).isEqualTo(9);
    assertThat(plus.instanceCount()).isEqualTo(2);
  }
}
