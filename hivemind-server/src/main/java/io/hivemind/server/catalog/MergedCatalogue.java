package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.server.control.ControlPlane;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's catalogue as reads see it: the ephemeral replica ({@link AgentCatalogue}) with the
 * control log's persistent registrations merged in ({@link PersistentCatalog}, which states the
 * index rule), on every agent (a control node applies the log, a plain agent follows it). Writes go
 * to the replica unchanged: persistent ones are commands to the control plane, not to this.
 *
 * <p>Thread-safe. Views are merged on demand and the last one kept, so readers between two changes
 * share one merged snapshot (and the HTTP answer cache keyed on it). Blocking queries wait for
 * either side: the replica's own wait, or a change of the persistent catalogue seen by a control
 * listener (on the control plane's thread, which only completes futures).
 */
public final class MergedCatalogue implements Catalogue {

  private record Merged(CatalogView replica, ExternalCatalog external, CatalogView view) {}

  private final Catalogue replica;
  private final ControlPlane control;
  private final Set<CompletableFuture<CatalogView>> waiting = ConcurrentHashMap.newKeySet();
  private volatile Merged last;
  private volatile ExternalCatalog lastExternal;

  public MergedCatalogue(Catalogue replica, ControlPlane control) {
    this.replica = replica;
    this.control = control;
    this.lastExternal = control.view().external();
    control.addListener(this::onControlView);
  }

  private void onControlView(ControlView next) {
    if (next.external() == lastExternal) {
      return;
    }
    lastExternal = next.external();
    for (CompletableFuture<CatalogView> future : waiting) {
      future.complete(view());
    }
  }

  @Override
  public CatalogView view() {
    CatalogView ephemeral = replica.view();
    ControlView controlView = control.view();
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
    waiting.add(answer);
    answer.whenComplete(
        (view, failure) -> {
          waiting.remove(answer);
          ephemeral.cancel(false);
        });
    // The replica's wait completes on a change or at its deadline: either way, the merged view.
    ephemeral.whenComplete((view, failure) -> answer.complete(view()));
    // A persistent change between the first look and the registration must not be missed.
    if (view().index() > index) {
      answer.complete(view());
    }
    return answer;
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
}
