package io.hivemind.server.http;

import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.ExternalNodeEntry;
import io.hivemind.core.membership.Member;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The node fields of a catalogue answer ({@code Node}, {@code Address}, {@code Datacenter}, {@code
 * TaggedAddresses}, {@code NodeMeta}) for an instance's owner: from the control plane's committed
 * registry, where every owner of a replicated instance is admitted. Falls back to this agent's own
 * member for its own instances when the registry does not list it (no control plane, or not
 * admitted yet), and to the owner's id as its name otherwise, so an answer never fails for want of
 * a registry entry. A persistent instance's owner is its external node, from the same view.
 *
 * <p>Owning thread: the HTTP event loop. The registry's members are indexed by id once per control
 * view, so a lookup answer over a thousand instances costs a thousand map reads.
 */
final class CatalogNodes {

  /** One owner's node fields, as Consul's {@code Node} has them. */
  record Node(
      String id,
      String name,
      String address,
      String datacenter,
      Map<String, String> taggedAddresses,
      Map<String, String> meta,
      long createIndex) {}

  private final AgentOperations agent;
  private ControlView indexedView;
  private Map<String, Node> byOwner = Map.of();
  private Map<String, String> ownerByName = Map.of();

  CatalogNodes(AgentOperations agent) {
    this.agent = agent;
  }

  /** The nodes of the registry now; look owners up with {@link Lookup#node}. */
  Lookup lookup() {
    ControlView view = agent.control().view();
    if (view != indexedView) {
      Map<String, Node> nodes = new HashMap<>();
      Map<String, String> owners = new HashMap<>();
      for (ControlMember member : view.members()) {
        nodes.put(member.id(), node(member, view.cluster()));
        owners.put(member.name(), member.id());
      }
      for (ExternalNodeEntry external : view.external().nodes().values()) {
        nodes.put(external.node().ownerId(), node(external, view.cluster()));
        owners.putIfAbsent(external.node().name(), external.node().ownerId());
      }
      byOwner = nodes;
      ownerByName = owners;
      indexedView = view;
    }
    return new Lookup(byOwner, ownerByName, view.cluster());
  }

  /** The nodes of one answer: every instance of it sees the same registry. */
  final class Lookup {
    private final Map<String, Node> nodes;
    private final Map<String, String> ownerByName;
    private final String cluster;

    private Lookup(Map<String, Node> nodes, Map<String, String> ownerByName, String cluster) {
      this.nodes = nodes;
      this.ownerByName = ownerByName;
      this.cluster = cluster;
    }

    Node node(String owner) {
      Node node = nodes.get(owner);
      return node != null ? node : fallback(owner, cluster);
    }

    /**
     * The owner id of the node named {@code name} in the registry (an admitted member, or a
     * persistent node of {@code PUT /v1/catalog/register}); empty when it names none. A member's
     * name wins over a persistent node's of the same name, as in {@code /v1/catalog/nodes}' order.
     */
    Optional<String> ownerNamed(String name) {
      return Optional.ofNullable(ownerByName.get(name));
    }
  }

  /** The datacenter answers are in: the committed cluster name, or this agent's before one. */
  String datacenter() {
    return datacenter(agent.control().view().cluster());
  }

  private String datacenter(String cluster) {
    return cluster.isEmpty() ? agent.self().cluster() : cluster;
  }

  private static Node node(ControlMember member, String cluster) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("roles", String.join(",", member.roles()));
    meta.put("zone", member.zone());
    meta.put("host", member.host());
    return new Node(
        member.id(),
        member.name(),
        member.address().host(),
        cluster,
        tagged(member.address().host(), member.address().port()),
        Map.copyOf(meta),
        member.admittedIndex());
  }

  /** A persistent node (issue 11): its instances' owner is {@link ExternalNode#ownerId}. */
  private static Node node(ExternalNodeEntry entry, String cluster) {
    ExternalNode node = entry.node();
    return new Node(
        "",
        node.name(),
        node.address(),
        cluster,
        node.taggedAddresses(),
        node.meta(),
        entry.createIndex());
  }

  private Node fallback(String owner, String cluster) {
    boolean self = agent.admission().map(status -> owner.equals(status.memberId())).orElse(false);
    if (!self && agent.admission().isPresent()) {
      return new Node(owner, owner, "", cluster, Map.of(), Map.of(), 0);
    }
    // Without a registry (or before this agent is admitted) the instances held are this agent's.
    Member me = agent.self();
    String datacenter = datacenter(cluster);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("roles", String.join(",", new TreeSet<>(me.roles())));
    meta.put("zone", me.zone());
    return new Node(
        owner,
        me.name(),
        me.address().host(),
        datacenter,
        tagged(me.address().host(), me.address().port()),
        Map.copyOf(meta),
        0);
  }

  /**
   * An agent's tagged addresses as Consul gives a node's: {@code lan} and {@code wan} (an agent has
   * one address), each again as {@code _ipv4} or {@code _ipv6}, and Hivemind's {@code lan_port},
   * the gossip port. Strict clients (kiwiproject's consul-client) require {@code wan}.
   */
  static Map<String, String> tagged(String host, int port) {
    String family = host.indexOf(':') >= 0 ? "_ipv6" : "_ipv4";
    return Map.of(
        "lan",
        host,
        "lan" + family,
        host,
        "wan",
        host,
        "wan" + family,
        host,
        "lan_port",
        Integer.toString(port));
  }
}
