package io.hivemind.server.catalog;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.acl.AclDeniedException;
import io.hivemind.server.control.ControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes the external services of the agent's configuration ({@code services:} in its YAML file,
 * issue 11) to the control log once the agent has joined, until each is committed. Re-proposing on
 * every start is safe: the state machine applies a registration identical to the held one as no
 * change, not even of an index, so nothing duplicates and no watcher wakes.
 *
 * <p>Driven by {@link #attempt}: one round proposes what is still pending (nothing before the agent
 * is admitted) and completes with whether everything is done; the caller schedules the next round.
 * A registration the state machine refuses (a check naming a service the node lacks), or a control
 * node's ACLs refuse (the agent token may not write its node or service), is logged and dropped:
 * retrying would be refused alike, until the configuration changes and the agent restarts. Any
 * other failure (no quorum) is retried next round. Each goes with the agent's own token ({@code
 * acl_agent_token_file}), which a control node with ACLs checks as it does a request's.
 *
 * <p>Owning thread: the caller's scheduler, or {@link #runEvery}'s thread; one round at a time.
 */
public final class ExternalServicesRegistrar {

  private static final Logger log = LoggerFactory.getLogger(ExternalServicesRegistrar.class);

  private final Supplier<ControlPlane> control;
  private final BooleanSupplier admitted;
  private final List<ControlCommand.CatalogRegister> pending;
  private final String token;

  /** Without a token: for a cluster without ACLs. */
  public ExternalServicesRegistrar(
      Supplier<ControlPlane> control,
      BooleanSupplier admitted,
      List<ControlCommand.CatalogRegister> services) {
    this(control, admitted, services, "");
  }

  /**
   * @param token the secret presented with each registration, "" for none
   */
  public ExternalServicesRegistrar(
      Supplier<ControlPlane> control,
      BooleanSupplier admitted,
      List<ControlCommand.CatalogRegister> services,
      String token) {
    this.control = control;
    this.admitted = admitted;
    this.pending = new ArrayList<>(services);
    this.token = Objects.requireNonNull(token, "token");
  }

  /** How many are not committed yet. */
  public synchronized int pending() {
    return pending.size();
  }

  /** One round: proposes every pending registration; completes with true once none is left. */
  public CompletableFuture<Boolean> attempt() {
    List<ControlCommand.CatalogRegister> round;
    synchronized (this) {
      if (pending.isEmpty() || !admitted.getAsBoolean()) {
        return CompletableFuture.completedFuture(pending.isEmpty());
      }
      round = List.copyOf(pending);
    }
    List<CompletableFuture<Void>> proposals = new ArrayList<>(round.size());
    for (ControlCommand.CatalogRegister service : round) {
      proposals.add(
          control
              .get()
              .submit(service, token)
              .handle((result, failure) -> settle(service, result, failure)));
    }
    return CompletableFuture.allOf(proposals.toArray(CompletableFuture[]::new))
        .thenApply(done -> pending() == 0);
  }

  /**
   * Runs rounds every {@code interval} on a daemon thread of its own until everything is committed
   * (then the thread ends) or the returned handle is closed (the agent closes).
   */
  public AutoCloseable runEvery(Duration interval) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "hivemind-external-services");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.execute(() -> round(scheduler, interval));
    return scheduler::shutdownNow;
  }

  private void round(ScheduledExecutorService scheduler, Duration interval) {
    attempt()
        .whenComplete(
            (done, failure) -> {
              if (Boolean.TRUE.equals(done)) {
                scheduler.shutdown();
                return;
              }
              try {
                scheduler.schedule(
                    () -> round(scheduler, interval), interval.toMillis(), TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException closed) {
                // The agent closed meanwhile: nothing more to propose.
              }
            });
  }

  private synchronized Void settle(
      ControlCommand.CatalogRegister service, ApplyResult result, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof AclDeniedException denied) {
      log.warn(
          "the configured external service of node {} was refused by the control plane's ACLs and"
              + " is not registered: {} (give this agent a token that may write it:"
              + " acl_agent_token_file or HIVEMIND_ACL_AGENT_TOKEN, docs/acl.md)",
          service.node().name(),
          denied.getMessage());
      pending.remove(service);
    } else if (result instanceof ApplyResult.Applied) {
      pending.remove(service);
    } else if (result instanceof ApplyResult.Refused refused) {
      log.warn(
          "the configured external service of node {} was refused and is not registered: {}",
          service.node().name(),
          refused.message());
      pending.remove(service);
    }
    // A failure (no quorum, the plane closing): still pending, the next round proposes it again.
    return null;
  }
}
