package io.hivemind.server.dns;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.membership.Member;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.membership.MembershipService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's {@link DnsSources}: the catalogue replica's snapshot, the gossip member list, and the
 * control plane's registry of admitted members for instance owners (an instance names its owner by
 * id, which only the registry maps to a node). Each is an immutable view its owner publishes;
 * nothing here locks.
 *
 * <p>Owning thread: the DNS event loop (the owner index below is rebuilt there, once per registry
 * view, as {@code CatalogNodes} does for HTTP).
 */
final class AgentDnsSources implements DnsSources {

  private final Catalogue catalogue;
  private final MembershipService membership;
  private final ControlPlane control;
  private final Environment environment;
  private ControlView indexedView;
  private Map<String, NodeEntry> owners = Map.of();

  AgentDnsSources(
      Catalogue catalogue,
      MembershipService membership,
      ControlPlane control,
      Environment environment) {
    this.catalogue = catalogue;
    this.membership = membership;
    this.control = control;
    this.environment = environment;
  }

  @Override
  public CatalogView catalog() {
    return catalogue == null ? CatalogView.EMPTY : catalogue.view();
  }

  @Override
  public List<NodeEntry> activeMembers() {
    List<NodeEntry> active = new ArrayList<>();
    for (Member member : membership.members()) {
      if (member.isActive() && member.environment() == environment) {
        active.add(new NodeEntry(member.name(), member.address().host()));
      }
    }
    return active;
  }

  /**
   * From the registry; without one (no control plane yet) every instance held is this agent's own,
   * as for HTTP's answers.
   */
  @Override
  public Optional<NodeEntry> owner(String owner) {
    Map<String, NodeEntry> byId = owners();
    NodeEntry node = byId.get(owner);
    if (node != null) {
      return Optional.of(node);
    }
    if (byId.isEmpty()) {
      Member self = membership.self();
      return Optional.of(new NodeEntry(self.name(), self.address().host()));
    }
    return Optional.empty();
  }

  private Map<String, NodeEntry> owners() {
    ControlView view = control.view();
    if (view != indexedView) {
      Map<String, NodeEntry> byId = new HashMap<>();
      for (ControlMember member : view.members()) {
        byId.put(member.id(), new NodeEntry(member.name(), member.address().host()));
      }
      owners = byId;
      indexedView = view;
    }
    return owners;
  }
}
