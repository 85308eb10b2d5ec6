package io.hivemind.server.membership;

/**
 * The node is leaving or has left the cluster, so it refuses to join or change anything: a leave
 * ends a node's life (as Serf's and Consul's), and a node that announced LEFT and then answered a
 * join as if nothing happened would be lying. Start a new node to be a member again.
 */
public final class NodeLeftException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String nodeName;

  NodeLeftException(String nodeName) {
    super(
        "node "
            + nodeName
            + " has left the cluster (or is leaving it): a node that left does not join or change"
            + " again, start a new one");
    this.nodeName = nodeName;
  }

  /** The name of the node that left. */
  public String nodeName() {
    return nodeName;
  }
}
