package io.hivemind.server.http;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.OwnerLedger;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.catalog.Catalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A real catalogue, synchronous: this agent's {@link OwnerLedger} and a {@link CatalogReplica}, as
 * the agent keeps them, with every write drained and applied at once (no thread, no clock). Other
 * owners' instances arrive through {@link #applyForeign}, as replication would bring them. Blocking
 * waits complete when a change passes their index; their own {@code wait} is left to the API's
 * timer. Keeps the registrations it was given, so tests can see what the API decoded. Called on the
 * test's thread only.
 */
final class MemoryCatalogue implements Catalogue {

  static final String OWNER = "node-1-id";

  final List<ServiceRegistration> registrations = new ArrayList<>();
  final List<CheckDefinition> checkRegistrations = new ArrayList<>();
  final List<CompletableFuture<CatalogView>> waits = new ArrayList<>();
  private final List<Long> waitAbove = new ArrayList<>();
  private final OwnerLedger ledger = new OwnerLedger(OWNER, 1);
  private final CatalogReplica replica = new CatalogReplica();
  private final List<CheckDefinition> definitions = new ArrayList<>();
  private final Map<String, CheckStatus> nodeChecks = new LinkedHashMap<>();
  private long foreignSeq;

  MemoryCatalogue() {
    replica.ownerAdmitted(OWNER);
  }

  long pendingWaits() {
    return waits.stream().filter(w -> !w.isDone()).count();
  }

  long cancelledWaits() {
    return waits.stream().filter(CompletableFuture::isCancelled).count();
  }

  /** Applies instances of another owner, as replication from that owner would. */
  void applyForeign(String owner, List<ServiceInstance> instances) {
    replica.ownerAdmitted(owner);
    replica.apply(new CatalogDelta(owner, 1, foreignSeq, foreignSeq + 1, instances, List.of()));
    foreignSeq++;
    publish();
  }

  static ServiceInstance instance(String owner, String service, String id, int port) {
    return new ServiceInstance(
        service,
        id,
        "",
        port,
        List.of(),
        Map.of(),
        Weights.DEFAULT,
        Environment.DEVELOPMENT,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of());
  }

  @Override
  public CatalogView view() {
    return replica.view();
  }

  @Override
  public CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait) {
    CompletableFuture<CatalogView> future = new CompletableFuture<>();
    waits.add(future);
    waitAbove.add(index);
    if (view().index() > index) {
      future.complete(view());
    }
    return future;
  }

  @Override
  public CompletableFuture<ServiceInstance> register(
      ServiceRegistration registration, String session) {
    registrations.add(registration);
    for (CheckDefinition check : registration.checks()) {
      boolean takenElsewhere =
          definitions.stream()
              .anyMatch(
                  d ->
                      d.checkId().equals(check.checkId())
                          && !d.serviceId().equals(check.serviceId()));
      if (takenElsewhere) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("check id " + check.checkId() + " is taken"));
      }
    }
    definitions.removeIf(d -> d.serviceId().equals(registration.id()));
    definitions.addAll(registration.checks());
    ServiceInstance instance =
        new ServiceInstance(
            registration.service(),
            registration.id(),
            registration.address(),
            registration.port(),
            registration.tags(),
            registration.meta(),
            registration.weights(),
            Environment.DEVELOPMENT,
            OWNER,
            session,
            withNodeChecks(
                registration.checks().stream().map(CheckDefinition::initialResult).toList()));
    ledger.put(instance);
    publish();
    return CompletableFuture.completedFuture(instance);
  }

  @Override
  public CompletableFuture<Boolean> deregister(String serviceId) {
    boolean removed = ledger.remove(serviceId);
    definitions.removeIf(d -> d.serviceId().equals(serviceId));
    publish();
    return CompletableFuture.completedFuture(removed);
  }

  @Override
  public CompletableFuture<Boolean> updateCheck(
      String checkId, HealthStatus status, String output) {
    Optional<CheckDefinition> check =
        definitions.stream().filter(d -> d.checkId().equals(checkId)).findFirst();
    boolean known = false;
    for (ServiceInstance instance : carriers(check)) {
      known |= ledger.updateCheck(instance.id(), checkId, status, output);
    }
    if (check.isPresent() && check.get().nodeCheck()) {
      nodeChecks.computeIfPresent(checkId, (id, held) -> held.withStatus(status, output));
      known = true;
    }
    publish();
    return CompletableFuture.completedFuture(known);
  }

  /** The instances that carry the check: its own, or every one for a node check. */
  private List<ServiceInstance> carriers(Optional<CheckDefinition> check) {
    if (check.isEmpty()) {
      return List.of();
    }
    if (check.get().nodeCheck()) {
      return ledger.instances();
    }
    return ledger.get(check.get().serviceId()).map(List::of).orElse(List.of());
  }

  private List<CheckStatus> withNodeChecks(List<CheckStatus> own) {
    List<CheckStatus> all = new ArrayList<>(own);
    all.addAll(nodeChecks.values());
    return all;
  }

  /** Adds or replaces the check as the agent's catalogue does, without its clock. */
  @Override
  public CompletableFuture<Boolean> registerCheck(CheckDefinition check) {
    checkRegistrations.add(check);
    if (!check.nodeCheck() && ledger.get(check.serviceId()).isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    if (definitions.stream()
        .anyMatch(
            d -> d.checkId().equals(check.checkId()) && !d.serviceId().equals(check.serviceId()))) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("check id " + check.checkId() + " is taken"));
    }
    definitions.removeIf(d -> d.checkId().equals(check.checkId()));
    definitions.add(check);
    if (check.nodeCheck()) {
      nodeChecks.put(check.checkId(), check.initialResult());
    }
    for (ServiceInstance instance : carriers(Optional.of(check))) {
      List<CheckStatus> checks = new ArrayList<>(instance.checks());
      checks.removeIf(c -> c.checkId().equals(check.checkId()));
      checks.add(check.initialResult());
      ledger.put(instance.withChecks(checks));
    }
    publish();
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Boolean> deregisterCheck(String checkId) {
    Optional<CheckDefinition> check =
        definitions.stream().filter(d -> d.checkId().equals(checkId)).findFirst();
    if (check.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    for (ServiceInstance instance : carriers(check)) {
      List<CheckStatus> checks = new ArrayList<>(instance.checks());
      checks.removeIf(c -> c.checkId().equals(checkId));
      ledger.put(instance.withChecks(checks));
    }
    definitions.remove(check.get());
    nodeChecks.remove(checkId);
    publish();
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public List<CheckStatus> nodeChecks() {
    return List.copyOf(nodeChecks.values());
  }

  @Override
  public CompletableFuture<Integer> nodeMaintenance(boolean enable, String reason) {
    int instances = ledger.instances().size();
    boolean changed =
        enable
            ? registerCheck(CheckDefinition.nodeMaintenance(reason)).join()
            : deregisterCheck(CheckDefinition.NODE_MAINTENANCE_ID).join();
    return CompletableFuture.completedFuture(changed ? instances : 0);
  }

  @Override
  public List<ServiceInstance> localInstances() {
    return ledger.instances();
  }

  /** The check's status as the replica holds it. */
  HealthStatus status(String serviceId, String checkId) {
    return ledger.get(serviceId).orElseThrow().checks().stream()
        .filter(c -> c.checkId().equals(checkId))
        .map(CheckStatus::status)
        .findFirst()
        .orElseThrow();
  }

  private void publish() {
    ledger.drain().ifPresent(replica::apply);
    CatalogView view = replica.view();
    for (int i = 0; i < waits.size(); i++) {
      if (waitAbove.get(i) < view.index()) {
        waits.get(i).complete(view);
      }
    }
  }
}
