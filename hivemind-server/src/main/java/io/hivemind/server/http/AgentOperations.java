package io.hivemind.server.http;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API needs from the agent; the composition root implements it over the membership
 * service, tests over fixed values.
 *
 * <p>Threads: every method is called on the HTTP event loop and must not block: the readers return
 * the membership service's published snapshots (no locks), and {@link #join} and {@link #leave}
 * only start the work and complete their future later, on any thread.
 */
public interface AgentOperations {

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
   * Starts joining the cluster through {@code seeds}.
   *
   * @return completes when the join succeeded, or exceptionally with an exception whose message is
   *     one sentence for the user (it becomes the {@code join_failed} message); cancelling it
   *     cancels the join, so the node makes no further attempt through these seeds (the API cancels
   *     a join that outlives its timeout and answers {@code join_timeout})
   */
  CompletableFuture<Void> join(List<Address> seeds);

  /**
   * Starts a graceful leave: announce LEFT and let it spread.
   *
   * @return completes once the leave has been announced, or exceptionally with a one-sentence
   *     message (it becomes the {@code leave_failed} message)
   */
  CompletableFuture<Void> leave();

  /**
   * The agent's metrics in the Prometheus text exposition format 0.0.4. It may take the registry's
   * locks for the few milliseconds a scrape lasts: that delays only other API requests.
   */
  String prometheusScrape();
}
