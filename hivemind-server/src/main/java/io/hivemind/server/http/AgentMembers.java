package io.hivemind.server.http;

import io.hivemind.api.AgentConfig;
import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentStats;
import io.hivemind.api.MemberState;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Member;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns core {@link Member} snapshots into the API's Consul-shaped records. */
final class AgentMembers {

  /** Membership wire protocol version 1 (docs/protocol/membership.md), the only one so far. */
  static final int PROTOCOL = 1;

  /**
   * Consul's own delegate protocol figures (min 2, max 5, current 4), reported so that Consul tools
   * which compare them accept our members; Hivemind has no delegate protocol of its own.
   */
  static final int DELEGATE_MIN = 2;

  static final int DELEGATE_MAX = 5;
  static final int DELEGATE_CUR = 4;

  private AgentMembers() {}

  static AgentMember toApi(Member member) {
    List<String> roles = sorted(member.roles());
    return new AgentMember(
        member.name(),
        member.address().host(),
        member.address().port(),
        consulTags(member, roles),
        AgentMember.statusOf(member.state()),
        PROTOCOL,
        PROTOCOL,
        PROTOCOL,
        DELEGATE_MIN,
        DELEGATE_MAX,
        DELEGATE_CUR,
        member.state(),
        member.incarnation(),
        roles,
        member.zone(),
        member.environment());
  }

  static AgentConfig config(Member self, String version) {
    return new AgentConfig(
        self.name(),
        self.cluster(),
        version,
        "",
        self.roles().contains(ControlMember.CONTROL_ROLE),
        self.environment(),
        sorted(self.roles()),
        self.zone());
  }

  static AgentStats stats(Collection<Member> members, Map<String, Long> counters) {
    Map<MemberState, Integer> byState = new EnumMap<>(MemberState.class);
    for (Member member : members) {
      byState.merge(member.state(), 1, Integer::sum);
    }
    return new AgentStats(
        members.size(),
        byState.getOrDefault(MemberState.ALIVE, 0),
        byState.getOrDefault(MemberState.SUSPECT, 0),
        byState.getOrDefault(MemberState.DEAD, 0),
        byState.getOrDefault(MemberState.LEFT, 0),
        counters);
  }

  /** The member's own tags under Consul's derived ones, which win: they state facts. */
  private static Map<String, String> consulTags(Member member, List<String> roles) {
    Map<String, String> tags = new HashMap<>(member.tags());
    tags.put("role", roles.isEmpty() ? "node" : String.join(",", roles));
    tags.put("dc", member.cluster());
    tags.put("env", member.environment().id());
    if (member.zone() != null && !member.zone().isEmpty()) {
      tags.put("zone", member.zone());
    }
    return tags;
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }
}
