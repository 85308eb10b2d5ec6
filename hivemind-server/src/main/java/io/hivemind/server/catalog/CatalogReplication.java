package io.hivemind.server.catalog;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates one node's catalogue to its peers (ADR 0004): the driver of a {@link CatalogRelay}.
 * The transport hands it links and frames ({@link CatalogLinks}), from any thread; it hops each
 * onto the replica's thread, sends the node's own deltas to every link, and runs the periodic
 * digest exchange.
 *
 * <p>Owning thread: {@link ReplicaHost#executor()}; the relay is touched only there. Lifecycle:
 * {@link #start} once, {@link #close} once (links still open are dropped; they close with their
 * connections).
 */
public final class CatalogReplication implements CatalogLinks, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatalogReplication.class);

  private final ReplicaHost host;
  private final ReplicationConfig config;
  private final Predicate<String> controlPeers;
  private final RelayStats stats = new RelayStats();
  private final CatalogRelay relay;
  private volatile boolean closed;
  private boolean publishQueued;
  private ScheduledFuture<?> digests;

  /**
   * @param controlPeers whether a node id is a control node the control plane admitted (it may open
   *     a mesh link to this node's gateway); read on transport threads
   */
  public CatalogReplication(
      ReplicaHost host, ReplicationConfig config, Predicate<String> controlPeers) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.controlPeers = Objects.requireNonNull(controlPeers, "controlPeers");
    this.relay =
        new CatalogRelay(host, this::queuePublish, stats, config.maxFrameBytes(), System::nanoTime);
  }

  /** Starts sending this node's deltas and the periodic digests. */
  public void start() {
    hop(
        () ->
            host.onOwnDelta(
                delta -> {
                  if (!closed) {
                    relay.ownDelta(delta);
                  }
                }));
    long every = config.digestInterval().toMillis();
    digests =
        host.executor()
            .scheduleAtFixedRate(this::periodicDigests, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * A snapshot is published once per batch of frames, not per frame: building one copies the
   * service map, and a node relaying a burst applies hundreds of frames in a row. The task runs
   * after the frames already queued on the replica's thread, which is what makes the batch.
   */
  private void queuePublish() {
    if (!publishQueued) {
      publishQueued = true;
      hop(
          () -> {
            publishQueued = false;
            host.replicaChanged();
          });
    }
  }

  private void periodicDigests() {
    try {
      relay.digestAll();
    } catch (RuntimeException e) {
      log.warn("catalogue digest round failed; the next one tries again", e);
    }
  }

  /**
   * Asks every peer for the states this node lacks now, without waiting for the periodic round: for
   * when owners whose changes were refused (not admitted yet) have just been admitted.
   */
  public void requestRepair() {
    hop(relay::digestAll);
  }

  /**
   * The control plane's registry may have changed (called from its listener, any thread): owners
   * admitted now whose changes were refused before are asked for at once.
   */
  public void controlViewChanged() {
    hop(relay::ownersChanged);
  }

  @Override
  public void attach(CatalogLink link) {
    Objects.requireNonNull(link, "link");
    hop(() -> relay.linkOpened(link));
  }

  @Override
  public void received(CatalogLink link, byte[] frame) {
    hop(() -> relay.received(link, frame));
  }

  @Override
  public void detached(CatalogLink link) {
    hop(() -> relay.linkClosed(link));
  }

  @Override
  public boolean isControlPeer(String nodeId) {
    return controlPeers.test(nodeId);
  }

  @Override
  public boolean isAdmitted(String nodeId) {
    return host.replica().admittedOwners().contains(nodeId);
  }

  /** This node's id: what it declares when it follows a gateway or opens a mesh link. */
  public String nodeId() {
    return host.ownerId();
  }

  /** The replica's thread: where mesh links run their upcalls. */
  public java.util.concurrent.ScheduledExecutorService executor() {
    return host.executor();
  }

  public RelayStats stats() {
    return stats;
  }

  private void hop(Runnable task) {
    if (closed) {
      return;
    }
    try {
      host.executor()
          .execute(
              () -> {
                if (closed) {
                  return;
                }
                try {
                  task.run();
                } catch (RuntimeException e) {
                  // One bad frame or link must not end the replica's thread (its other work).
                  log.warn("catalogue replication step failed", e);
                }
              });
    } catch (RejectedExecutionException e) {
      log.debug("replica thread gone; dropped a replication step");
    }
  }

  @Override
  public void close() {
    closed = true;
    if (digests != null) {
      digests.cancel(false);
    }
  }
}
