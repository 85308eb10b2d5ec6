package io.hivemind.core.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Decides how a control-capable node enters the Raft group, from what gossip shows it: wait, form
 * the group, join a formed one, or recover its own (docs/protocol/control.md, "Raft group").
 *
 * <p>Like Consul's {@code bootstrap_expect}: the group forms once {@code bootstrapExpect}
 * control-capable nodes see each other, with the first {@code bootstrapExpect} of them by name as
 * its voters, so every node that sees the same members picks the same voters. Two rules keep a
 * cluster to one group: a node that has Raft storage never forms again (it recovers its group from
 * its log), and nobody forms a group of its own while any visible member advertises that it belongs
 * to a formed group (a node asks such a member to add it instead). The one exception is a node the
 * formed group was formed <em>with</em>: a member that forms advertises its voters, and a voter
 * that sees them forms with exactly those, the same group. Joining instead (with no peers)
 * deadlocked the group: the voters that joined rejected the former's votes (a candidate outside a
 * Ratis server's configuration gets none), so no leader was ever elected, and nobody was left to
 * add them (seen in CI: the first voter formed, the other two saw its tag before they had seen all
 * three, and the group stood still for minutes).
 *
 * <p>Pure: gossip's view in, a decision out. Called by the node's control role whenever the member
 * list changes, until it has formed, joined or recovered.
 */
public final class BootstrapPlan {

  /** Gossip tag a control-capable node sets to the host:port of its Raft (control) port. */
  public static final String RAFT_ADDRESS_TAG = "control.raft";

  /** Gossip tag set by a node that belongs to a formed Raft group; its value is {@link #FORMED}. */
  public static final String GROUP_TAG = "control.group";

  /** The value of {@link #GROUP_TAG} on a member of a formed group. */
  public static final String FORMED = "formed";

  /**
   * Gossip tag set by a node that formed the group: the names of the voters it formed it with,
   * comma-separated, sorted.
   */
  public static final String VOTERS_TAG = "control.voters";

  /** More voters than a group is ever formed with (3 or 5): a longer tag is not believed. */
  static final int MAX_ADVERTISED_VOTERS = 9;

  /** Longest voters tag advertised: leaves room for the node's other tags within gossip's limit. */
  public static final int MAX_VOTERS_TAG_BYTES = 160;

  private BootstrapPlan() {}

  /**
   * A control-capable member as gossip shows it.
   *
   * @param name the member's name (its Raft peer id)
   * @param raftAddress host:port of its Raft port (the {@link #RAFT_ADDRESS_TAG} tag)
   * @param formed whether it advertises {@link #GROUP_TAG} = {@link #FORMED}
   * @param formedWith the voters it formed the group with ({@link #VOTERS_TAG}), empty when it did
   *     not form it (it joined, or recovered) or does not say
   */
  public record Candidate(
      String name, String raftAddress, boolean formed, List<String> formedWith) {
    public Candidate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(raftAddress, "raftAddress");
      formedWith = List.copyOf(formedWith);
    }

    /** A candidate that advertises no voters. */
    public Candidate(String name, String raftAddress, boolean formed) {
      this(name, raftAddress, formed, List.of());
    }
  }

  /** What the local node should do. */
  public sealed interface Decision {}

  /** Not yet: {@code why} is one sentence for the node's status. */
  public record Wait(String why) implements Decision {}

  /** Form the group with these voters (sorted by name; the local node is one of them). */
  public record Form(List<Candidate> voters) implements Decision {
    public Form {
      voters = List.copyOf(voters);
    }
  }

  /** Ask one of these members of the formed group (sorted by name) to add the local node. */
  public record Join(List<Candidate> formedMembers) implements Decision {
    public Join {
      formedMembers = List.copyOf(formedMembers);
    }
  }

  /** The local node has Raft storage: restart its group from it, never form a new one. */
  public record Recover() implements Decision {}

  /**
   * Decides for {@code localName}.
   *
   * @param bootstrapExpect how many control nodes form the group (at least 1)
   * @param localName the local node's name
   * @param hasRaftStorage whether the local node's data directory holds a Raft group's storage
   * @param visible the control-capable members gossip shows, the local node included
   */
  public static Decision decide(
      int bootstrapExpect, String localName, boolean hasRaftStorage, List<Candidate> visible) {
    if (bootstrapExpect < 1) {
      throw new IllegalArgumentException("bootstrapExpect must be at least 1: " + bootstrapExpect);
    }
    if (hasRaftStorage) {
      return new Recover();
    }
    List<Candidate> formed = formedOthers(localName, visible);
    if (!formed.isEmpty()) {
      List<String> voters = agreedVoters(formed);
      if (voters.contains(localName)) {
        return formAsVoter(voters, distinctByName(visible));
      }
      return new Join(formed);
    }
    return formOrWait(bootstrapExpect, localName, distinctByName(visible));
  }

  /**
   * The voters the formed members formed with, when they say so and agree: every one that
   * advertises voters names the same set, and every formed member is in it. Otherwise none (the
   * node joins): following one of two different sets could give each its own majority, two leaders
   * in one group.
   */
  private static List<String> agreedVoters(List<Candidate> formed) {
    List<String> agreed = null;
    for (Candidate member : formed) {
      if (member.formedWith().isEmpty()) {
        continue;
      }
      List<String> set = member.formedWith().stream().sorted().distinct().toList();
      if (agreed != null && !agreed.equals(set)) {
        return List.of();
      }
      agreed = set;
    }
    if (agreed == null) {
      return List.of();
    }
    for (Candidate member : formed) {
      if (!agreed.contains(member.name())) {
        return List.of();
      }
    }
    return agreed;
  }

  /**
   * The {@link #VOTERS_TAG} value for a group formed with the voters named {@code names}, or ""
   * when it would be longer than {@link #MAX_VOTERS_TAG_BYTES} (a gossip tag value is at most 256
   * bytes, and all of a member's tags 512): then none is advertised and the others join.
   */
  public static String votersTag(List<String> names) {
    String tag = String.join(",", names.stream().sorted().toList());
    return tag.getBytes(StandardCharsets.UTF_8).length > MAX_VOTERS_TAG_BYTES ? "" : tag;
  }

  /**
   * The voters a {@link #VOTERS_TAG} value names; empty for a blank tag or one naming more voters
   * than a group ever has (gossip tags come from other nodes: a malformed one decides nothing).
   */
  public static List<String> parseVotersTag(String tag) {
    if (tag == null || tag.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : tag.split(",", MAX_ADVERTISED_VOTERS + 2)) {
      if (!name.isBlank()) {
        names.add(name.strip());
      }
    }
    return names.size() > MAX_ADVERTISED_VOTERS ? List.of() : List.copyOf(names);
  }

  /**
   * The local node is one of the voters a formed member formed the group with ({@code voterNames},
   * sorted and distinct, from {@link #agreedVoters}): it forms with exactly those (the same group),
   * once gossip shows every one of them.
   */
  private static Decision formAsVoter(List<String> voterNames, List<Candidate> candidates) {
    List<Candidate> voters = new ArrayList<>();
    for (String name : voterNames) {
      Candidate voter =
          candidates.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
      if (voter == null) {
        return new Wait(
            "the group was formed with this node as a voter; waiting to see its voter " + name);
      }
      voters.add(voter);
    }
    return new Form(voters);
  }

  private static Decision formOrWait(int expect, String localName, List<Candidate> candidates) {
    if (candidates.stream().noneMatch(c -> c.name().equals(localName))) {
      return new Wait("this node does not advertise its Raft address yet");
    }
    if (candidates.size() < expect) {
      return new Wait(
          candidates.size() + " of " + expect + " control nodes visible; waiting for the rest");
    }
    List<Candidate> voters = candidates.subList(0, expect);
    if (voters.stream().noneMatch(c -> c.name().equals(localName))) {
      return new Wait(
          "the first " + expect + " control nodes by name form the group; this node joins after");
    }
    if (!voters.get(0).name().equals(localName)
        && !votersTag(voters.stream().map(Candidate::name).toList()).isEmpty()) {
      // Only the first by name forms from its own view; the others form from its voters tag. Two
      // nodes forming from two views (another control node seen by one of them only) could make
      // two majorities once the rest follow their tags. Names too long for the tag: every voter
      // forms from its own view, as before the tag existed.
      return new Wait(
          voters.get(0).name() + ", the first control node by name, forms the group first");
    }
    return new Form(voters);
  }

  private static List<Candidate> formedOthers(String localName, List<Candidate> visible) {
    return distinctByName(visible).stream()
        .filter(c -> c.formed() && !c.name().equals(localName))
        .toList();
  }

  /** Sorted by name; a name seen twice (a stale gossip entry) counts once, the first wins. */
  private static List<Candidate> distinctByName(List<Candidate> visible) {
    List<Candidate> sorted = new ArrayList<>(visible);
    sorted.sort(Comparator.comparing(Candidate::name));
    List<Candidate> distinct = new ArrayList<>();
    for (Candidate c : sorted) {
      if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).name().equals(c.name())) {
        distinct.add(c);
      }
    }
    return distinct;
  }
}
