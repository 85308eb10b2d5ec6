package io.hivemind.server.catalog;

/**
 * Where the transport hands catalogue links and their frames: the seam between the gateway's
 * connections and {@link CatalogReplication}. Thread-safe; nothing blocks (calls hop onto the
 * replica's thread).
 */
public interface CatalogLinks {

  /** A link opened: its peer declared who it is. */
  void attach(CatalogLink link);

  /** One catalogue frame received on {@code link} (still encoded). */
  void received(CatalogLink link, byte[] frame);

  /** The link is gone; it is never used again. */
  void detached(CatalogLink link);

  /**
   * Whether {@code nodeId} may open a {@link LinkScope#MESH} link: a member the control plane
   * admitted with the control role. Called on the transport's thread; reads a published view.
   */
  boolean isControlPeer(String nodeId);

  /**
   * Whether the control plane's committed registry, as this node's replica holds it, admits {@code
   * nodeId}. Called on the replica's thread.
   */
  boolean isAdmitted(String nodeId);
}
