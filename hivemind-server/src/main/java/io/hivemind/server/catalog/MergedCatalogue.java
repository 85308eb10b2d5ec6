package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.server.control.ControlPlane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's catalogue as reads see it: the ephemeral replica ({@link AgentCatalogue}) with the
 * control log's persistent registrations merged in ({@link PersistentCatalog}, which states the
 * index rule), on every agent (a control node applies the log, a plain agent follows it). Writes go
 * to the replica unchanged: persistent ones are commands to the control plane, not to this.
 *
 * <p>Thread-safe. Views are merged on demand and the last one kept, so readers between two changes
 * share one merged snapshot (and the HTTP answer cache keyed on it). A blocking query waits for
 * either side: the replica's own wait, or the control plane's next applied index, re-armed until
 * the merged index passes the query's (most control entries are not catalogue changes). The control
 * plane is looked up on each use, as the HTTP API does, never captured or listened to.
 */
public final class MergedCatalogue implements Catalogue {

  private record Merged(CatalogView replica, ExternalCatalog external, CatalogView view) {}

  private final Catalogue replica;
  private final Supplier<ControlPlane> control;
  private volatile Merged last;

  public MergedCatalogue(Catalogue replica, Supplier<ControlPlane> control) {
    this.replica = replica;
    this.control = control;
  }

  @Override
  public CatalogView view() {
    CatalogView ephemeral = replica.view();
    ControlView controlView = control.get().view();
    Merged merged = last;
    if (merged != null
        && merged.replica() == ephemeral
        && merged.external() == controlView.external()) {
      return merged.view();
    }
    CatalogView view =
        PersistentCatalog.merge(ephemeral, controlView.external(), controlView.environment());
    last = new Merged(ephemeral, controlView.external(), view);
    return view;
  }

  @Override
  public CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait) {
    CatalogView now = view();
    if (now.index() > index) {
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<CatalogView> answer = new CompletableFuture<>();
    CompletableFuture<CatalogView> ephemeral =
        replica.awaitIndexAbove(replica.view().index(), wait);
    AtomicReference<CompletableFuture<ControlView>> persistent = new AtomicReference<>();
    answer.whenComplete(
        (view, failure) -> {
          ephemeral.cancel(false);
          CompletableFuture<ControlView> waiting = persistent.get();
          if (waiting != null) {
            waiting.cancel(false);
          }
        });
    // The replica's wait completes on a change or at its deadline: either way, the merged view.
    ephemeral.whenComplete((view, failure) -> answer.complete(view()));
    awaitPersistent(index, answer, persistent);
    return answer;
  }

  /**
   * Waits for the next control index, again and again, until the merged index passes {@code index}.
   */
  private void awaitPersistent(
      long index,
      CompletableFuture<CatalogView> answer,
      AtomicReference<CompletableFuture<ControlView>> waiting) {
    ControlPlane plane = control.get();
    // Read the control index first: a change after it completes the wait below at once.
    long controlIndex = plane.view().index();
    CatalogView now = view();
    if (answer.isDone() || now.index() > index) {
      answer.complete(now);
      return;
    }
    CompletableFuture<ControlView> next = plane.awaitIndexAbove(controlIndex);
    waiting.set(next);
    if (answer.isDone()) {
      next.cancel(false);
      return;
    }
    next.thenRun(() -> awaitPersistent(index, answer, waiting));
  }

  @Override
  public CompletableFuture<ServiceInstance> register(
      ServiceRegistration registration, String session) {
    return replica.register(registration, session);
  }

  @Override
  public CompletableFuture<Integer> endSession(String session) {
    return replica.endSession(session);
  }

  @Override
  public CompletableFuture<Boolean> deregister(String serviceId) {
    return replica.deregister(serviceId);
  }

  @Override
  public CompletableFuture<Boolean> updateCheck(
      String checkId, HealthStatus status, String output) {
    return replica.updateCheck(checkId, status, output);
  }

  @Override
  public CompletableFuture<Boolean> registerCheck(CheckDefinition check) {
    return replica.registerCheck(check);
  }

  @Override
  public CompletableFuture<Boolean> deregisterCheck(String checkId) {
    return replica.deregisterCheck(checkId);
  }

  @Override
  public List<ServiceInstance> localInstances() {
    return replica.localInstances();
  }

  @Override
  public List<CheckStatus> nodeChecks() {
    return replica.nodeChecks();
  }

  @Override
  public CompletableFuture<Integer> nodeMaintenance(boolean enable, String reason) {
    return replica.nodeMaintenance(enable, reason);
  }
}
