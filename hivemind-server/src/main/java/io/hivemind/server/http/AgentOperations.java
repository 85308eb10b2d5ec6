package io.hivemind.server.http;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.agreement.ControlMembershipBridge.AdmissionStatus;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.state.StateRequests;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API needs from the agent; the composition root implements it over the membership
 * service, tests over fixed values.
 *
 * <p>Threads: every method is called on the HTTP event loop and must not block: the readers return
 * the membership service's published snapshots (no locks), and {@link #join} and {@link #leave}
 * only start the work and complete their future later, on any thread; so do the {@link #control()
 * control plane}'s calls.
 *
 * <p>An operation the agent refuses in its present state, or refuses as asked, fails (or throws)
 * with an {@link OperationRefusedException} carrying the status and stable code the API answers
 * with; any other failure is the operation's {@code _failed} code with the exception's sentence.
 */
public interface AgentOperations {

  /**
   * The agent refuses an operation: the API answers {@code status} with {@code code} and the
   * sentence "{@code <operation> refused: <message>}". For example 409 {@code agent_left}: the
   * agent has left the cluster and joins no more.
   */
  final class OperationRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /**
     * @param status the HTTP status, 4xx
     * @param code the stable error code ({@link io.hivemind.api.ApiError})
     * @param message why, one sentence for a person
     */
    public OperationRefusedException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  /** This agent as a member, from the latest snapshot. */
  Member self();

  /** Every member this agent knows, itself included, in any state, from the latest snapshot. */
  List<Member> members();

  /**
   * Gossip counters since the agent started, by snake_case name ({@code packets_sent}, {@code
   * probe_failures}, ...), for the {@code Stats} of {@code /v1/agent/self}. May be empty.
   */
  Map<String, Long> counters();

  /**
   * Starts joining the cluster through {@code seeds}, once: a join a person asked for is not
   * retried behind their back.
   *
   * @return completes when the join succeeded, or exceptionally with an exception whose message is
   *     one sentence for the user saying what happened (it becomes the {@code join_failed}
   *     message), or with an {@link OperationRefusedException} ({@code agent_left}, {@code
   *     join_self}); cancelling it cancels the join, so the node makes no further attempt through
   *     these seeds (the API cancels a join that outlives its timeout and answers {@code
   *     join_timeout})
   */
  CompletableFuture<Void> join(List<Address> seeds);

  /**
   * Starts a graceful leave: announce LEFT and let it spread. Leaving ends the agent's life: once
   * the leave has been announced the agent shuts down, and until then it refuses every other write.
   * Leaving again is no error.
   *
   * @return completes once the leave has been announced, or exceptionally with a one-sentence
   *     message (it becomes the {@code leave_failed} message)
   */
  CompletableFuture<Void> leave();

  /**
   * The agent's control plane: the committed registry, the event log and the KV store the {@code
   * /v1/kv}, {@code /v1/event}, {@code /v1/catalog/nodes}, {@code /v1/status} and {@code
   * /v1/operator/raft} endpoints serve. An agent whose cluster has none answers with {@link
   * NoControlPlane}: degraded, reads empty, writes 503 {@code no_quorum}.
   */
  default ControlPlane control() {
    return NoControlPlane.INSTANCE;
  }

  /**
   * Where this agent stands with the control plane (requesting, waiting for roles, admitted,
   * refused and why), for the {@code Control} of {@code /v1/agent/self}: an agent waiting to be
   * admitted says so visibly. Empty where the agent does not ask for admission.
   */
  default Optional<AdmissionStatus> admission() {
    return Optional.empty();
  }

  /**
   * The agent's metrics in the Prometheus text exposition format 0.0.4. It may take the registry's
   * locks for the few milliseconds a scrape lasts: that delays only other API requests.
   */
  /**
   * The agent's partitioned store (issue 13), where {@code /v1/state} requests go; {@link
   * StateRequests#NONE} (every request unavailable) when it runs none.
   */
  default StateRequests state() {
    return StateRequests.NONE;
  }

  String prometheusScrape();
}
