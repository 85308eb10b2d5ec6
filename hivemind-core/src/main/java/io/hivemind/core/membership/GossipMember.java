package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One member as gossip carries it (membership.proto's {@code MemberInfo}): in Alive messages and
 * push-pull tables.
 *
 * <p>Field rules, checked by the decoder before it builds one (so no handler re-checks; see {@link
 * FieldRules}): a node name; an address is present, its host an IP literal, its port 1..65535;
 * incarnation 0..2^62; roles, tag keys, tag values and zone in their character sets, and together
 * at most {@value MemberMeta#MAX_BYTES} bytes; a state this version knows.
 *
 * <p>Roles are a set in meaning but kept as the list the wire carries, in its order: {@link
 * NodeState} compares them as a set, and the hot path (an Alive about a member already known,
 * dropped as stale) never pays to build one. Tags are a map; the encoder writes them sorted by key.
 * Our own records list roles sorted too ({@link NodeState.Meta}), so equal records are equal bytes
 * in every process (a refutation storm came from two processes listing the same roles in different
 * orders).
 *
 * <p>The collections are taken as given, not copied, because a push-pull answer builds one record
 * per member and a packet decodes one per Alive: the decoder passes immutable copies, {@link
 * NodeState} its own read-only metadata.
 */
record GossipMember(
    String name,
    Address address,
    long incarnation,
    MemberState state,
    List<String> roles,
    Map<String, String> tags,
    String zone) {

  GossipMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(zone, "zone");
  }

  /** A member without roles, tags or zone. */
  static GossipMember of(String name, Address address, long incarnation, MemberState state) {
    return new GossipMember(name, address, incarnation, state, List.of(), Map.of(), "");
  }
}
