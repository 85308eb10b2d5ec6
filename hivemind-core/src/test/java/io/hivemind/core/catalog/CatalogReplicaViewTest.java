package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The replica's snapshots, which share persistent trees between publishes, against a model rebuilt
 * from scratch: after random upserts, removals, moves between services, whole states and owner
 * removals, each view lists every service's instances in owner-then-id order, finds names ignoring
 * case as a scan would, and no published view changes afterwards.
 */
class CatalogReplicaViewTest {

  private static final long SEED = 14;
  private static final String[] SERVICES = {"web", "Web", "WEB", "api", "db", "cache"};
  private static final Comparator<ServiceInstance> BY_OWNER_THEN_ID =
      Comparator.comparing(ServiceInstance::owner).thenComparing(ServiceInstance::id);

  private final CatalogReplica replica = new CatalogReplica();
  private final Map<String, Map<String, ServiceInstance>> model = new HashMap<>();
  private final Map<String, Long> seqs = new HashMap<>();
  private final List<String> owners = new ArrayList<>(List.of("a", "ab", "b"));
  private int removedOwners;

  @Test
  void randomChanges_viewsMatchAModel_andPublishedViewsNeverChange() {
    SplittableRandom random = new SplittableRandom(SEED);
    owners.forEach(replica::ownerAdmitted);
    List<CatalogView> published = new ArrayList<>();
    List<Map<String, List<ServiceInstance>>> copies = new ArrayList<>();
    long lastIndex = 0;
    for (int step = 0; step < 3_000; step++) {
      change(random);
      if (random.nextInt(3) != 0) {
        continue; // some snapshots follow several changes, as after a batch
      }
      CatalogView view = replica.view();
      assertMatchesModel(view, random);
      assertThat(view.index()).isGreaterThanOrEqualTo(lastIndex);
      lastIndex = view.index();
      if (step % 50 == 0) {
        published.add(view);
        copies.add(expected());
      }
    }
    for (int i = 0; i < published.size(); i++) {
      assertThat(instancesOf(published.get(i))).isEqualTo(copies.get(i));
    }
  }

  private void change(SplittableRandom random) {
    String owner = owners.get(random.nextInt(owners.size()));
    Map<String, ServiceInstance> held = model.computeIfAbsent(owner, key -> new HashMap<>());
    int kind = random.nextInt(100);
    if (kind < 2) {
      removeOwner(owner);
    } else if (kind < 6) {
      wholeState(owner, held, random);
    } else {
      delta(owner, held, random);
    }
  }

  private void delta(String owner, Map<String, ServiceInstance> held, SplittableRandom random) {
    List<ServiceInstance> upserts = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      String id = owner + "-" + random.nextInt(12);
      // A delta carries final states: each id is either upserted or removed, the last change.
      upserts.removeIf(up -> up.id().equals(id));
      removed.remove(id);
      if (random.nextInt(4) == 0) {
        removed.add(id);
        held.remove(id);
      } else {
        ServiceInstance instance = randomInstance(owner, id, random);
        upserts.add(instance);
        held.put(id, instance);
      }
    }
    long seq = seqs.getOrDefault(owner, 0L);
    CatalogDelta delta = new CatalogDelta(owner, 1, seq, seq + 1, upserts, removed);
    assertThat(replica.apply(delta)).isEqualTo(ApplyOutcome.APPLIED);
    seqs.put(owner, seq + 1);
  }

  private void wholeState(
      String owner, Map<String, ServiceInstance> held, SplittableRandom random) {
    held.clear();
    for (int i = random.nextInt(6); i > 0; i--) {
      String id = owner + "-" + random.nextInt(12);
      held.put(id, randomInstance(owner, id, random));
    }
    long seq = seqs.getOrDefault(owner, 0L) + 1;
    OwnerState state = new OwnerState(owner, 1, seq, List.copyOf(held.values()));
    assertThat(replica.apply(state)).isEqualTo(ApplyOutcome.APPLIED);
    seqs.put(owner, seq);
  }

  private void removeOwner(String owner) {
    replica.ownerRemoved(owner);
    model.remove(owner);
    owners.remove(owner);
    // A removed owner never comes back under its id: a new one takes its place.
    String next = "n" + removedOwners++;
    owners.add(next);
    replica.ownerAdmitted(next);
  }

  private static ServiceInstance randomInstance(String owner, String id, SplittableRandom random) {
    return instance(owner, SERVICES[random.nextInt(SERVICES.length)], id, 1 + random.nextInt(3));
  }

  private Map<String, List<ServiceInstance>> expected() {
    Map<String, List<ServiceInstance>> services = new TreeMap<>();
    model.values().stream()
        .flatMap(held -> held.values().stream())
        .sorted(BY_OWNER_THEN_ID)
        .forEach(i -> services.computeIfAbsent(i.service(), s -> new ArrayList<>()).add(i));
    return services;
  }

  private static Map<String, List<ServiceInstance>> instancesOf(CatalogView view) {
    Map<String, List<ServiceInstance>> services = new TreeMap<>();
    view.services()
        .forEach(
            (name, entries) ->
                services.put(name, entries.stream().map(CatalogEntry::instance).toList()));
    return services;
  }

  private void assertMatchesModel(CatalogView view, SplittableRandom random) {
    Map<String, List<ServiceInstance>> expected = expected();
    assertThat(instancesOf(view)).isEqualTo(expected);
    assertThat(view.serviceNames()).containsExactlyElementsOf(expected.keySet());
    assertThat(view.instanceCount())
        .isEqualTo(expected.values().stream().mapToInt(List::size).sum());
    for (String name : expected.keySet()) {
      assertThat(view.serviceIndex(name)).isBetween(1L, view.index());
      List<CatalogEntry> entries = view.instances(name);
      int rank = random.nextInt(entries.size());
      assertThat(entries.get(rank).instance()).isEqualTo(expected.get(name).get(rank));
    }
    for (String probe : List.of("wEb", "API", "Db", "cache", "none")) {
      assertThat(view.instancesIgnoringCase(probe)).isEqualTo(scan(view, probe));
    }
  }

  /** The rule the folded lookup replaced: exact name, else the first name equal ignoring case. */
  private static List<CatalogEntry> scan(CatalogView view, String probe) {
    if (view.services().containsKey(probe)) {
      return view.services().get(probe);
    }
    for (Map.Entry<String, List<CatalogEntry>> entry : view.services().entrySet()) {
      if (entry.getKey().equalsIgnoreCase(probe)) {
        return entry.getValue();
      }
    }
    return List.of();
  }
}
