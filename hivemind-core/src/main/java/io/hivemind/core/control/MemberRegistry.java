package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of admitted members, by id and by name, and the ids of removed members.
 *
 * <p>Invariants: ids and names of admitted members are unique; an id is never admitted twice. To
 * enforce the second without growing forever, removed ids are kept with their removal index, the
 * last {@code maxRemovedIds} of them (oldest dropped first). Ids are per life of a node (a node
 * that comes back rejoins with a new id), so an id only needs remembering until the node it named
 * has learnt of its removal: with the default 10,000 that is 10,000 removals later, days of churn
 * at a removal a minute.
 *
 * <p>Not thread-safe: part of {@link ControlState}, owned by its thread.
 */
final class MemberRegistry {

  private final int maxRemovedIds;
  private final Map<String, ControlMember> byId = new HashMap<>();
  private final TreeMap<String, ControlMember> byName = new TreeMap<>();
  private final LinkedHashMap<String, Long> removedIds = new LinkedHashMap<>();
  private List<ControlMember> published = List.of();

  MemberRegistry(int maxRemovedIds) {
    this.maxRemovedIds = maxRemovedIds;
  }

  ControlMember byId(String id) {
    return byId.get(id);
  }

  /** The roles of {@code required} that no admitted member performs, in the given order. */
  List<String> missingRoles(List<String> required) {
    List<String> missing = new ArrayList<>();
    for (String role : required) {
      if (members().stream().noneMatch(m -> m.hasRole(role))) {
        missing.add(role);
      }
    }
    return missing;
  }

  ControlMember byName(String name) {
    return byName.get(name);
  }

  /** The index at which {@code id} was removed, or null when it was not (or is forgotten). */
  Long removedAt(String id) {
    return removedIds.get(id);
  }

  /** Adds an admitted member; the caller checked its id and name are free. */
  void add(ControlMember member) {
    byId.put(member.id(), member);
    byName.put(member.name(), member);
    published = null;
  }

  /** Removes the member with {@code id} at {@code index}, remembering the id. */
  void remove(String id, long index) {
    ControlMember member = byId.remove(id);
    byName.remove(member.name());
    remember(id, index);
    published = null;
  }

  private void remember(String id, long index) {
    removedIds.put(id, index);
    Iterator<String> oldest = removedIds.keySet().iterator();
    while (removedIds.size() > maxRemovedIds) {
      oldest.next();
      oldest.remove();
    }
  }

  /** The admitted members sorted by name; the same list until the next change. */
  List<ControlMember> members() {
    if (published == null) {
      published = List.copyOf(byName.values());
    }
    return published;
  }

  /** The remembered removed ids, oldest removal first. */
  List<RemovedId> removedIds() {
    List<RemovedId> removed = new ArrayList<>(removedIds.size());
    removedIds.forEach((id, index) -> removed.add(new RemovedId(id, index)));
    return removed;
  }

  /** Restores a snapshot's registry. */
  void restore(List<ControlMember> members, List<RemovedId> removed) {
    members.forEach(this::add);
    removed.forEach(r -> remember(r.id(), r.removedIndex()));
  }
}
