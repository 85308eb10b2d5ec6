package io.hivemind.api;

import java.util.List;
import java.util.Map;

/**
 * One cluster member as {@code GET /v1/agent/members} reports it: Consul's member shape, so that
 * Consul tooling can read it, followed by Hivemind's own fields.
 *
 * <p>On the wire every name is written in UpperCamelCase ({@code Name}, {@code Addr}, {@code
 * ProtocolMin}, {@code Incarnation}) and the enums in lower case ({@code "alive"}, {@code
 * "development"}), like this:
 *
 * <pre>{@code
 * {"Name": "node-1", "Addr": "10.0.0.1", "Port": 7360,
 *  "Tags": {"dc": "main", "env": "development", "role": "control"},
 *  "Status": 1, "ProtocolMin": 1, "ProtocolMax": 1, "ProtocolCur": 1,
 *  "DelegateMin": 2, "DelegateMax": 5, "DelegateCur": 4,
 *  "State": "alive", "Incarnation": 3, "Roles": ["control"], "Zone": "rack-1",
 *  "Environment": "development"}
 * }</pre>
 *
 * <p>Readers must ignore fields they do not know: later agents may add some.
 *
 * @param name the member's name, unique within its cluster
 * @param addr the host the member gossips on (a name or a literal IP)
 * @param port the member's gossip port
 * @param tags Consul-style tags: the member's own tags plus {@code role} (its roles, comma
 *     separated, or {@code node} when it has none), {@code dc} (its cluster), {@code env} (its
 *     environment) and {@code zone} when set; these derived entries win over own tags of the same
 *     name
 * @param status Serf's member status as Consul reports it: 1 alive (also for a suspect member,
 *     which Serf still counts as alive), 3 left, 4 failed; 0 (none) and 2 (leaving) are never
 *     reported
 * @param protocolMin oldest membership wire protocol the member speaks
 * @param protocolMax newest membership wire protocol the member speaks
 * @param protocolCur the membership wire protocol the member uses
 * @param delegateMin Consul's delegate protocol field, fixed at Consul's value so that tools which
 *     compare it accept the member (Hivemind has no delegate protocol)
 * @param delegateMax as {@code delegateMin}
 * @param delegateCur as {@code delegateMin}
 * @param state the member's state in SWIM's vocabulary, more precise than {@code status}
 * @param incarnation the member's incarnation number (SWIM §4.2): only the member raises it
 * @param roles the roles the member performs, sorted
 * @param zone the member's failure domain (rack, availability zone); empty when unset
 * @param environment the environment the member serves
 */
// Justification: 16 components mirror Consul's flat member object, which tools parse as is.
public record AgentMember(
    String name,
    String addr,
    int port,
    Map<String, String> tags,
    int status,
    int protocolMin,
    int protocolMax,
    int protocolCur,
    int delegateMin,
    int delegateMax,
    int delegateCur,
    MemberState state,
    long incarnation,
    List<String> roles,
    String zone,
    Environment environment) {

  /** Serf's status of a member that is alive (or suspect: Serf still counts it alive). */
  public static final int STATUS_ALIVE = 1;

  /** Serf's status of a member that announced its leave. */
  public static final int STATUS_LEFT = 3;

  /** Serf's status of a member the cluster detected as failed. */
  public static final int STATUS_FAILED = 4;

  /**
   * Copies the collections; a missing collection or zone reads as empty.
   *
   * @param name the member's name
   * @param addr the member's gossip host
   * @param port the member's gossip port
   * @param tags Consul-style tags
   * @param status Serf's status number
   * @param protocolMin oldest wire protocol spoken
   * @param protocolMax newest wire protocol spoken
   * @param protocolCur wire protocol in use
   * @param delegateMin Consul's delegate minimum
   * @param delegateMax Consul's delegate maximum
   * @param delegateCur Consul's delegate current
   * @param state the member's state
   * @param incarnation the member's incarnation
   * @param roles the member's roles, sorted
   * @param zone the member's failure domain
   * @param environment the member's environment
   */
  public AgentMember {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    roles = roles == null ? List.of() : List.copyOf(roles);
    zone = zone == null ? "" : zone;
  }

  /**
   * The Consul status that stands for a state.
   *
   * @param state a member state
   * @return {@link #STATUS_ALIVE} for alive and suspect, {@link #STATUS_LEFT} for left, {@link
   *     #STATUS_FAILED} for dead
   */
  public static int statusOf(MemberState state) {
    return switch (state) {
      case ALIVE, SUSPECT -> STATUS_ALIVE;
      case LEFT -> STATUS_LEFT;
      case DEAD -> STATUS_FAILED;
    };
  }
}
