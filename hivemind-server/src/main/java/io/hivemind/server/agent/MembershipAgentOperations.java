package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.agreement.ControlMembershipBridge.AdmissionStatus;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.http.AgentOperations;
import io.hivemind.server.http.NoControlPlane;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.NodeLeftException;
import io.hivemind.server.state.StateRequests;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The HTTP API's view of an agent, over its membership service and metrics registry. */
final class MembershipAgentOperations implements AgentOperations {

  private final MembershipService membership;
  private final PrometheusMeterRegistry registry;
  private final ControlPlane control;
  private final java.util.function.Supplier<CompletableFuture<Void>> leave;
  private final java.util.function.Supplier<Optional<AdmissionStatus>> admission;

  /** An agent without a control plane: degraded ({@link NoControlPlane}). */
  MembershipAgentOperations(MembershipService membership, PrometheusMeterRegistry registry) {
    this(membership, registry, NoControlPlane.INSTANCE);
  }

  MembershipAgentOperations(
      MembershipService membership, PrometheusMeterRegistry registry, ControlPlane control) {
    this(membership, registry, control, membership::leave);
  }

  /**
   * @param leave starts the agent's graceful leave (the agent commits it to the control plane
   *     before it spreads by gossip)
   */
  MembershipAgentOperations(
      MembershipService membership,
      PrometheusMeterRegistry registry,
      ControlPlane control,
      java.util.function.Supplier<CompletableFuture<Void>> leave) {
    this(membership, registry, control, leave, Optional::empty);
  }

  /**
   * @param leave starts the agent's graceful leave
   * @param admission where the agent stands with the control plane, for {@code /v1/agent/self}
   */
  MembershipAgentOperations(
      MembershipService membership,
      PrometheusMeterRegistry registry,
      ControlPlane control,
      java.util.function.Supplier<CompletableFuture<Void>> leave,
      java.util.function.Supplier<Optional<AdmissionStatus>> admission) {
    this.membership = membership;
    this.registry = registry;
    this.control = control;
    this.leave = leave;
    this.admission = admission;
  }

  // Set once before the HTTP API starts; volatile as the HTTP loop reads it.
  private volatile StateRequests state = StateRequests.NONE;

  /** Sends the HTTP API's {@code /v1/state} requests to {@code service}. */
  MembershipAgentOperations withState(StateRequests service) {
    this.state = service;
    return this;
  }

  @Override
  public StateRequests state() {
    return state;
  }

  @Override
  public Optional<AdmissionStatus> admission() {
    return admission.get();
  }

  @Override
  public ControlPlane control() {
    return control;
  }

  @Override
  public Member self() {
    return membership.self();
  }

  @Override
  public List<Member> members() {
    return membership.members();
  }

  @Override
  public Map<String, Long> counters() {
    MembershipStats c = membership.counters();
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("packets_sent", c.packetsSent());
    counters.put("packets_received", c.packetsReceived());
    counters.put("bytes_sent", c.bytesSent());
    counters.put("bytes_received", c.bytesReceived());
    counters.put("streams_opened", c.streamsOpened());
    counters.put("probes", c.probes());
    counters.put("probe_failures", c.probeFailures());
    counters.put("suspicions", c.suspicions());
    counters.put("members_refused", c.membersRefused());
    counters.put("name_conflicts", c.nameConflicts());
    counters.put("refutations", c.refutations());
    counters.put("dropped", c.droppedTotal());
    counters.put("local_health_score", (long) membership.localHealthScore());
    return counters;
  }

  /**
   * A join asked through the API is tried once and never retried in the background: a seed typed
   * wrong is not retried for ever behind the user's back. The API also bounds the wait and cancels
   * the future when it gives up, which cancels the join.
   */
  @Override
  public CompletableFuture<Void> join(List<Address> seeds) {
    CompletableFuture<Void> joining;
    try {
      joining = membership.joinOnce(seeds);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(refusal(e));
    }
    CompletableFuture<Void> answer = new CompletableFuture<>();
    joining.whenComplete(
        (ok, failure) -> {
          if (failure == null) {
            answer.complete(null);
          } else {
            answer.completeExceptionally(refusal(failure));
          }
        });
    answer.whenComplete(
        (ok, failure) -> {
          if (failure instanceof CancellationException) {
            joining.cancel(false); // The API gave up: so does the join.
          }
        });
    return answer;
  }

  /** A leave ends the agent's life: {@link Agent} shuts down once it has been announced. */
  @Override
  public CompletableFuture<Void> leave() {
    return leave.get();
  }

  /** The failures the API answers with their own status and code; others pass as they are. */
  private Throwable refusal(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof NodeLeftException) {
      return new OperationRefusedException(
          409,
          "agent_left",
          "this agent ("
              + membership.name()
              + ") has left the cluster and is shutting down: an agent that left does not join"
              + " again, start a new one");
    }
    if (cause instanceof JoinException e && e.onlySelf()) {
      return new OperationRefusedException(400, "join_self", e.getMessage());
    }
    return cause;
  }

  @Override
  public String prometheusScrape() {
    return registry.scrape();
  }
}
