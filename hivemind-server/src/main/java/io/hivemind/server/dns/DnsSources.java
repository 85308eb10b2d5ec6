package io.hivemind.server.dns;

import io.hivemind.core.catalog.CatalogView;
import java.util.List;
import java.util.Optional;

/**
 * What the answers are made of: the catalogue replica's snapshot and the members, each read without
 * locks from the immutable views their owners publish. An interface so that {@link DnsAnswerer} is
 * tested on plain values.
 */
interface DnsSources {

  /** A member as DNS shows it: its name and the host (an IP literal) it is reached at. */
  record NodeEntry(String name, String host) {}

  /** The catalogue's latest snapshot. */
  CatalogView catalog();

  /** The members that are alive or suspect, of the agent's environment. */
  List<NodeEntry> activeMembers();

  /** The node that owns instances registered with {@code owner}'s id, when it is known. */
  Optional<NodeEntry> owner(String owner);
}
