package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What HTTP, DNS, the CLI and the client protocol see of this agent's catalogue: reads from the
 * local replica's immutable snapshot, writes to the instances this agent owns.
 *
 * <p>Thread-safe; no method blocks. Futures complete on the catalogue's thread (the gossip loop):
 * do not block in their callbacks.
 */
public interface Catalogue {

  /** The latest snapshot of the local replica (never null). */
  CatalogView view();

  /**
   * Completes with the first snapshot whose index is above {@code index} (at once when the current
   * one is), or with the current snapshot once {@code wait} has passed: a blocking query.
   */
  CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait);

  /**
   * Registers (or replaces) an instance owned by this agent in {@code session} ({@link
   * ServiceInstance#AGENT_SESSION} for HTTP and configuration), and starts its checks. Completes
   * once it is in the local replica; other nodes get it by replication.
   */
  CompletableFuture<ServiceInstance> register(ServiceRegistration registration, String session);

  /**
   * Ends {@code session}: deregisters every instance registered in it (issue 11: its owner deletes
   * them once the session's grace has passed). Completes with how many there were.
   *
   * <p>This default deregisters them one by one; the agent's catalogue removes them in one step.
   */
  default CompletableFuture<Integer> endSession(String session) {
    List<CompletableFuture<Boolean>> removals = new ArrayList<>();
    for (ServiceInstance instance : localInstances()) {
      if (instance.session().equals(session)) {
        removals.add(deregister(instance.id()));
      }
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
        .thenApply(done -> (int) removals.stream().filter(CompletableFuture::join).count());
  }

  /** Deregisters one of this agent's instances; false when it had none with that id. */
  CompletableFuture<Boolean> deregister(String serviceId);

  /**
   * Reports a TTL check's status (Consul's {@code /v1/agent/check/pass|warn|fail/{id}}); false when
   * this agent has no check with that id.
   */
  CompletableFuture<Boolean> updateCheck(String checkId, HealthStatus status, String output);

  /**
   * Adds a check to one of this agent's instances, or replaces the check with its id (Consul's
   * {@code PUT /v1/agent/check/register}); a replacement with the same definition keeps its status.
   * Completes with false when this agent has no instance {@code check.serviceId()}, and fails with
   * {@link IllegalArgumentException} when the id is another instance's check, the timing cannot run
   * or the instance would have too many checks.
   */
  CompletableFuture<Boolean> registerCheck(CheckDefinition check);

  /**
   * Removes one check of this agent's instances (Consul's {@code PUT
   * /v1/agent/check/deregister/{id}}); the instance stays. False when this agent has no check with
   * that id.
   */
  CompletableFuture<Boolean> deregisterCheck(String checkId);

  /** This agent's own instances, as registered here (Consul's {@code /v1/agent/services}). */
  List<ServiceInstance> localInstances();

  /**
   * This agent's node checks (checks registered without an instance, {@link
   * CheckDefinition#nodeCheck}) at their latest statuses; every instance it owns carries them.
   */
  default List<CheckStatus> nodeChecks() {
    return List.of();
  }

  /**
   * Puts this agent's node in maintenance or takes it out (Consul's {@code PUT
   * /v1/agent/maintenance}): while it is in, every instance it owns, and every one registered
   * later, carries the critical node check {@link CheckDefinition#nodeMaintenance}. Completes with
   * the number of instances it applies to.
   *
   * @param reason the operator's reason ("" for Consul's default), ignored when disabling
   */
  default CompletableFuture<Integer> nodeMaintenance(boolean enable, String reason) {
    return CompletableFuture.failedFuture(
        new IllegalStateException("this catalogue has no node maintenance"));
  }
}
