package io.hivemind.core.catalog;

import io.hivemind.core.collect.RankedTree;
import io.hivemind.core.collect.SortedTree;
import io.hivemind.core.collect.SortedTreeMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's full copy of the catalogue: every admitted owner's instances, each at the newest
 * version this node has seen.
 *
 * <p>Rules, which together mean no node can delete or revive another owner's entries:
 *
 * <ul>
 *   <li>An owner's changes are held only while the control plane's committed registry admits the
 *       owner ({@link #ownerAdmitted}); its committed removal drops all it held ({@link
 *       #ownerRemoved}). A removed owner's id never comes back (a returning node rejoins under a
 *       new id), so late deltas cannot resurrect anything.
 *   <li>Within a generation, deltas apply in sequence order; one that starts past what is held is a
 *       gap, and only the owner's whole state ({@link #apply(OwnerState)}) fills it. A newer
 *       generation replaces the owner's instances wholesale.
 *   <li>Only {@link ApplyOutcome#APPLIED} changes anything, and only it is passed on to other
 *       nodes, so floods of duplicates die out after one hop.
 * </ul>
 *
 * <p>Indexes: every applied change takes the next replica index, stamped as the changed instances'
 * modify index and the touched services' index, so blocking queries see indexes that only grow.
 *
 * <p>Snapshots cost what changed (issue 11: copying the whole catalogue per publish was most of an
 * agent's CPU under registration load). Each service's entries live in a persistent tree, and the
 * published maps (services, service indexes, folded names) are persistent trees too, updated once
 * per service changed since the last snapshot: O(changed services × log n), whatever the size of
 * the catalogue or of one service.
 *
 * <p>Not thread-safe: one owning thread (the agent's gossip loop) applies; readers take {@link
 * #view()}'s immutable snapshot.
 */
public final class CatalogReplica {

  private record Held(OwnerVersion version, Map<String, CatalogEntry> instances) {}

  private final Set<String> admitted = new HashSet<>();
  private final Set<String> refusedUnknown = new HashSet<>();
  private final Map<String, Held> owners = new HashMap<>();
  private final Map<String, Long> serviceIndexes = new HashMap<>();
  // Each service's entries ordered by owner then id, kept in step with owners; persistent, so a
  // snapshot shares them as they are. Ordered by a comparator rather than keyed by an "owner id"
  // string: that key was a string per instance (about 64 of 1,240 bytes).
  private final Map<String, RankedTree<CatalogEntry>> byService = new HashMap<>();
  // What the last snapshot published, as persistent roots updated per dirty service.
  private SortedTree<List<CatalogEntry>> publishedServices;
  private SortedTree<Long> publishedIndexes;
  private final FoldedNames foldedNames = new FoldedNames();
  private final CatalogStrings strings = new CatalogStrings();
  private final Set<String> dirtyServices = new HashSet<>();
  private long index;
  private int instanceCount;
  private CatalogView published = CatalogView.EMPTY;

  /**
   * Admits {@code owner}: its changes are held from now on.
   *
   * @return true when changes of this owner were refused before (it was not admitted yet), so the
   *     caller should ask its peers for the owner's state
   */
  public boolean ownerAdmitted(String owner) {
    admitted.add(owner);
    return refusedUnknown.remove(owner);
  }

  /**
   * The control plane committed {@code owner}'s removal (dead or left): everything it held goes, on
   * every replica at the same commit.
   *
   * @return how many instances were dropped
   */
  public int ownerRemoved(String owner) {
    admitted.remove(owner);
    refusedUnknown.remove(owner);
    Held held = owners.remove(owner);
    if (held == null || held.instances().isEmpty()) {
      return 0;
    }
    index++;
    for (CatalogEntry entry : held.instances().values()) {
      unindex(entry);
    }
    instanceCount -= held.instances().size();
    return held.instances().size();
  }

  /** The owners whose changes are held. */
  public Set<String> admittedOwners() {
    return Collections.unmodifiableSet(admitted);
  }

  /** Applies an owner's delta, if it follows what is held. */
  public ApplyOutcome apply(CatalogDelta delta) {
    if (!admitted.contains(delta.owner())) {
      refusedUnknown.add(delta.owner());
      return ApplyOutcome.UNKNOWN_OWNER;
    }
    Held held = owners.get(delta.owner());
    if (held == null) {
      if (delta.fromSeq() != 0) {
        return ApplyOutcome.GAP;
      }
      held = new Held(new OwnerVersion(delta.generation(), 0), new LinkedHashMap<>());
      owners.put(delta.owner(), held);
    }
    OwnerVersion version = held.version();
    if (delta.generation() < version.generation()) {
      return ApplyOutcome.STALE;
    }
    if (delta.generation() > version.generation()) {
      if (delta.fromSeq() != 0) {
        return ApplyOutcome.GAP;
      }
      // A new life of the owner that starts from nothing: its first delta is its whole state.
      replace(delta.owner(), new OwnerState(delta.owner(), delta.generation(), 0, List.of()));
      held = owners.get(delta.owner());
      version = held.version();
    }
    if (delta.toSeq() <= version.seq()) {
      return ApplyOutcome.DUPLICATE;
    }
    if (delta.fromSeq() > version.seq()) {
      return ApplyOutcome.GAP;
    }
    index++;
    Map<String, CatalogEntry> instances = held.instances();
    for (ServiceInstance instance : delta.upserts()) {
      put(instances, instance);
    }
    for (String id : delta.removedIds()) {
      CatalogEntry removed = instances.remove(id);
      if (removed != null) {
        instanceCount--;
        unindex(removed);
      }
    }
    owners.put(delta.owner(), new Held(delta.version(), instances));
    return ApplyOutcome.APPLIED;
  }

  /** Applies an owner's whole state, if it is newer than what is held. */
  public ApplyOutcome apply(OwnerState state) {
    if (!admitted.contains(state.owner())) {
      refusedUnknown.add(state.owner());
      return ApplyOutcome.UNKNOWN_OWNER;
    }
    Held held = owners.get(state.owner());
    if (held != null) {
      OwnerVersion version = held.version();
      if (state.generation() < version.generation()) {
        return ApplyOutcome.STALE;
      }
      if (!state.version().isNewerThan(version)) {
        return ApplyOutcome.DUPLICATE;
      }
    }
    index++;
    replace(state.owner(), state);
    return ApplyOutcome.APPLIED;
  }

  private void replace(String owner, OwnerState state) {
    Held old = owners.get(owner);
    Map<String, CatalogEntry> instances = new LinkedHashMap<>();
    if (old != null) {
      for (CatalogEntry entry : old.instances().values()) {
        unindex(entry);
      }
      instanceCount -= old.instances().size();
    }
    for (ServiceInstance received : state.instances()) {
      ServiceInstance instance = strings.share(received);
      CatalogEntry previous = old == null ? null : old.instances().get(instance.id());
      long created = previous != null ? previous.createIndex() : index;
      long modified =
          previous != null && previous.instance().equals(instance) ? previous.modifyIndex() : index;
      CatalogEntry entry = new CatalogEntry(instance, created, modified);
      instances.put(instance.id(), entry);
      instanceCount++;
      index(entry);
    }
    owners.put(owner, new Held(state.version(), instances));
  }

  private void put(Map<String, CatalogEntry> instances, ServiceInstance received) {
    CatalogEntry previous = instances.get(received.id());
    if (previous != null && previous.instance().equals(received)) {
      return;
    }
    ServiceInstance instance = strings.share(received);
    if (previous == null) {
      instanceCount++;
    } else if (!previous.instance().service().equals(instance.service())) {
      unindex(previous);
    }
    // Otherwise the new entry takes the previous one's place in its service's tree: it compares
    // equal (same owner and id), and add replaces an equal element, so one path is copied, not two.
    long created = previous == null ? index : previous.createIndex();
    CatalogEntry entry = new CatalogEntry(instance, created, index);
    instances.put(instance.id(), entry);
    index(entry);
  }

  /**
   * A service's entries by owner, then id. Written out rather than composed from key extractors: it
   * runs at every level of a tree on every change. Owner ids are shared strings (one instance per
   * owner, {@link CatalogStrings}), so most pairs are told equal by reference rather than by
   * comparing two 36-character ids.
   */
  private static final Comparator<CatalogEntry> BY_OWNER_THEN_ID =
      (a, b) -> {
        String ownerA = a.instance().owner();
        String ownerB = b.instance().owner();
        int byOwner = ownerA == ownerB ? 0 : ownerA.compareTo(ownerB);
        return byOwner != 0 ? byOwner : a.instance().id().compareTo(b.instance().id());
      };

  private void index(CatalogEntry entry) {
    String service = entry.instance().service();
    // An equal entry (same owner and id) already in this service's tree is its predecessor: add
    // replaces it (put unindexes a predecessor only when it was in another service).
    byService.put(service, RankedTree.add(byService.get(service), entry, BY_OWNER_THEN_ID));
    touch(service);
  }

  private void unindex(CatalogEntry entry) {
    String service = entry.instance().service();
    RankedTree<CatalogEntry> entries =
        RankedTree.remove(byService.get(service), entry, BY_OWNER_THEN_ID);
    if (entries == null) {
      byService.remove(service);
    } else {
      byService.put(service, entries);
    }
    touch(service);
  }

  private void touch(String service) {
    serviceIndexes.put(service, index);
    dirtyServices.add(service);
  }

  /** The version held for {@code owner}, or null when nothing is. */
  public OwnerVersion version(String owner) {
    Held held = owners.get(owner);
    return held == null ? null : held.version();
  }

  /** Every held owner's version: what a peer compares with its own to repair either side. */
  public Map<String, OwnerVersion> digest() {
    Map<String, OwnerVersion> digest = new HashMap<>();
    owners.forEach((owner, held) -> digest.put(owner, held.version()));
    return digest;
  }

  /** The owner's whole state as held, or null when nothing is held for it. */
  public OwnerState state(String owner) {
    Held held = owners.get(owner);
    if (held == null) {
      return null;
    }
    List<ServiceInstance> instances = new ArrayList<>(held.instances().size());
    held.instances().values().forEach(entry -> instances.add(entry.instance()));
    return new OwnerState(owner, held.version().generation(), held.version().seq(), instances);
  }

  public long index() {
    return index;
  }

  public int instanceCount() {
    return instanceCount;
  }

  /**
   * An immutable snapshot of the catalogue now. Only services changed since the last snapshot are
   * updated, each in O(log n) in the persistent trees, and the snapshot's maps are O(1) views of
   * their roots: publishing after each batch of changes costs what the batch touched.
   */
  public CatalogView view() {
    if (published.index() == index && dirtyServices.isEmpty()) {
      return published;
    }
    for (String service : dirtyServices) {
      publishedIndexes = SortedTree.put(publishedIndexes, service, serviceIndexes.get(service));
      RankedTree<CatalogEntry> entries = byService.get(service);
      if (entries == null) {
        publishedServices = SortedTree.remove(publishedServices, service);
        foldedNames.removed(service);
      } else {
        publishedServices = SortedTree.put(publishedServices, service, RankedTree.asList(entries));
        foldedNames.added(service);
      }
    }
    dirtyServices.clear();
    published =
        new CatalogView(
            index,
            new SortedTreeMap<>(publishedServices),
            new SortedTreeMap<>(publishedIndexes),
            instanceCount,
            foldedNames.map());
    return published;
  }
}
