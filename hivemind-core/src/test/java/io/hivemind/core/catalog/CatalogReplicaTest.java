package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogReplicaTest {

  private final CatalogReplica replica = new CatalogReplica();

  private static CatalogDelta delta(String owner, long gen, long from, List<ServiceInstance> up) {
    return new CatalogDelta(owner, gen, from, from + 1, up, List.of());
  }

  @Test
  void apply_ownerNotAdmitted_refusedAndRepairAskedOnAdmission() {
    CatalogDelta first = delta("a", 1, 0, List.of(instance("a", "web", "w1", 80)));

    assertThat(replica.apply(first)).isEqualTo(ApplyOutcome.UNKNOWN_OWNER);
    assertThat(replica.view().instances("web")).isEmpty();
    assertThat(replica.ownerAdmitted("a")).isTrue();
    assertThat(replica.ownerAdmitted("a")).isFalse();
    assertThat(replica.apply(first)).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.view().instances("web")).hasSize(1);
  }

  @Test
  void apply_deltasInOrder_appliedDuplicatesIgnoredGapsReported() {
    replica.ownerAdmitted("a");
    CatalogDelta first = delta("a", 1, 0, List.of(instance("a", "web", "w1", 80)));
    CatalogDelta second = delta("a", 1, 1, List.of(instance("a", "web", "w2", 81)));
    CatalogDelta third = delta("a", 1, 2, List.of(instance("a", "db", "d1", 5432)));

    assertThat(replica.apply(first)).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.apply(third)).isEqualTo(ApplyOutcome.GAP);
    assertThat(replica.apply(second)).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.apply(second)).isEqualTo(ApplyOutcome.DUPLICATE);
    assertThat(replica.apply(third)).isEqualTo(ApplyOutcome.APPLIED);

    CatalogView view = replica.view();
    assertThat(view.instances("web"))
        .extracting(e -> e.instance().id())
        .containsExactly("w1", "w2");
    assertThat(view.instances("db")).hasSize(1);
    assertThat(view.instanceCount()).isEqualTo(3);
    assertThat(replica.version("a")).isEqualTo(new OwnerVersion(1, 3));
  }

  @Test
  void apply_firstDeltaNotFromZero_isAGap() {
    replica.ownerAdmitted("a");

    assertThat(replica.apply(delta("a", 1, 4, List.of(instance("a", "web", "w1", 80)))))
        .isEqualTo(ApplyOutcome.GAP);
  }

  @Test
  void apply_newGeneration_replacesThePreviousLife() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    replica.apply(delta("a", 1, 1, List.of(instance("a", "web", "w2", 80))));

    assertThat(replica.apply(delta("a", 2, 0, List.of(instance("a", "web", "w3", 80)))))
        .isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.view().instances("web"))
        .extracting(e -> e.instance().id())
        .containsExactly("w3");
    assertThat(replica.apply(delta("a", 1, 2, List.of(instance("a", "web", "w9", 80)))))
        .isEqualTo(ApplyOutcome.STALE);
  }

  @Test
  void apply_overlappingDelta_bringsTheReplicaToItsEnd() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    CatalogDelta overlapping =
        new CatalogDelta("a", 1, 0, 3, List.of(instance("a", "web", "w1", 90)), List.of("gone"));

    assertThat(replica.apply(overlapping)).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.view().instances("web").get(0).instance().port()).isEqualTo(90);
    assertThat(replica.version("a")).isEqualTo(new OwnerVersion(1, 3));
  }

  @Test
  void ownerRemoved_dropsAllItHeldAndRefusesItsLateDeltas() {
    replica.ownerAdmitted("a");
    replica.ownerAdmitted("b");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    replica.apply(delta("b", 1, 0, List.of(instance("b", "web", "w1", 80))));
    long before = replica.view().serviceIndex("web");

    assertThat(replica.ownerRemoved("a")).isEqualTo(1);

    CatalogView view = replica.view();
    assertThat(view.instances("web")).extracting(e -> e.instance().owner()).containsExactly("b");
    assertThat(view.serviceIndex("web")).isGreaterThan(before);
    assertThat(replica.apply(delta("a", 1, 1, List.of(instance("a", "web", "w2", 80)))))
        .isEqualTo(ApplyOutcome.UNKNOWN_OWNER);
    assertThat(replica.view().instances("web")).hasSize(1);
  }

  @Test
  void apply_state_fillsAGapAndOlderStatesAreIgnored() {
    replica.ownerAdmitted("a");
    OwnerState state = new OwnerState("a", 1, 5, List.of(instance("a", "web", "w1", 80)));

    assertThat(replica.apply(state)).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.apply(state)).isEqualTo(ApplyOutcome.DUPLICATE);
    assertThat(replica.apply(new OwnerState("a", 1, 4, List.of())))
        .isEqualTo(ApplyOutcome.DUPLICATE);
    assertThat(replica.apply(new OwnerState("a", 0, 9, List.of()))).isEqualTo(ApplyOutcome.STALE);
    assertThat(replica.apply(delta("a", 1, 5, List.of(instance("a", "db", "d", 1)))))
        .isEqualTo(ApplyOutcome.APPLIED);
    assertThat(replica.view().instanceCount()).isEqualTo(2);
  }

  @Test
  void view_indexesNeverGoBackwardsAndUnchangedInstancesKeepTheirModifyIndex() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    long created = replica.view().instances("web").get(0).modifyIndex();
    replica.apply(delta("a", 1, 1, List.of(instance("a", "db", "d1", 1))));
    replica.apply(
        new OwnerState(
            "a", 1, 7, List.of(instance("a", "web", "w1", 80), instance("a", "db", "d1", 2))));

    CatalogView view = replica.view();
    CatalogEntry web = view.instances("web").get(0);
    assertThat(web.createIndex()).isEqualTo(created);
    assertThat(web.modifyIndex()).isEqualTo(created);
    assertThat(view.instances("db").get(0).modifyIndex()).isEqualTo(view.index());
    assertThat(view.serviceIndex("db")).isEqualTo(view.index());
    assertThat(view.serviceIndex("web")).isLessThanOrEqualTo(view.index());
  }

  @Test
  void view_isImmutableAndReusedWhileNothingChanges() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    CatalogView first = replica.view();

    assertThat(replica.view()).isSameAs(first);
    replica.apply(delta("a", 1, 1, List.of(instance("a", "web", "w2", 80))));
    assertThat(first.instances("web")).hasSize(1);
    assertThat(replica.view().instances("web")).hasSize(2);
  }

  @Test
  void apply_instanceMovedToAnotherService_leavesTheOldOne() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    replica.view();
    replica.apply(delta("a", 1, 1, List.of(instance("a", "api", "w1", 80))));

    CatalogView view = replica.view();
    assertThat(view.instances("web")).isEmpty();
    assertThat(view.serviceNames()).containsExactly("api");
    assertThat(view.instanceCount()).isEqualTo(1);
  }

  @Test
  void view_instancesOrderedByOwnerThenId_anOwnerBeforeTheOwnersItPrefixes() {
    replica.ownerAdmitted("a");
    replica.ownerAdmitted("ab");
    replica.apply(delta("ab", 1, 0, List.of(instance("ab", "web", "a1", 80))));
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "z9", 80))));
    replica.apply(delta("a", 1, 1, List.of(instance("a", "web", "b2", 80))));

    assertThat(replica.view().instances("web"))
        .extracting(e -> e.instance().owner() + "/" + e.instance().id())
        .containsExactly("a/b2", "a/z9", "ab/a1");
  }

  @Test
  void apply_changedInstance_replacesItsEntryInTheService() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "web", "w1", 80))));
    replica.view();
    replica.apply(delta("a", 1, 1, List.of(instance("a", "web", "w1", 81))));

    assertThat(replica.view().instances("web"))
        .singleElement()
        .satisfies(entry -> assertThat(entry.instance().port()).isEqualTo(81));
  }

  @Test
  void instancesIgnoringCase_findsTheServiceWhateverTheCase() {
    replica.ownerAdmitted("a");
    replica.apply(delta("a", 1, 0, List.of(instance("a", "Web", "w1", 80))));

    assertThat(replica.view().instancesIgnoringCase("wEB")).hasSize(1);
  }
}
