package io.hivemind.server.http;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.server.catalog.Catalogue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The catalogue of an API started without one (tests of other endpoints, tools embedding the API):
 * reads answer empty, blocking reads wait out their wait, writes fail with 503 {@code
 * no_catalogue}.
 */
final class NoCatalogue implements Catalogue {

  static final NoCatalogue INSTANCE = new NoCatalogue();

  private NoCatalogue() {}

  @Override
  public CatalogView view() {
    return CatalogView.EMPTY;
  }

  @Override
  public CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait) {
    return new CompletableFuture<>(); // nothing ever changes; the API's own timer answers
  }

  @Override
  public CompletableFuture<ServiceInstance> register(
      ServiceRegistration registration, String session) {
    return refused();
  }

  @Override
  public CompletableFuture<Boolean> deregister(String serviceId) {
    return refused();
  }

  @Override
  public CompletableFuture<Boolean> updateCheck(
      String checkId, HealthStatus status, String output) {
    return refused();
  }

  @Override
  public CompletableFuture<Boolean> registerCheck(CheckDefinition check) {
    return refused();
  }

  @Override
  public CompletableFuture<Boolean> deregisterCheck(String checkId) {
    return refused();
  }

  @Override
  public List<ServiceInstance> localInstances() {
    return List.of();
  }

  @Override
  public CompletableFuture<Integer> nodeMaintenance(boolean enable, String reason) {
    return refused();
  }

  private static <T> CompletableFuture<T> refused() {
    return CompletableFuture.failedFuture(
        new AgentOperations.OperationRefusedException(
            503, "no_catalogue", "this agent runs no service catalogue"));
  }
}
