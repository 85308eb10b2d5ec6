package io.hivemind.server.http;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.control.ControlPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Just enough agent for the API's handlers: two members (or a failure), fixed counters, and join
 * and leave that record their calls; join answers with the future a test sets. Called on the test's
 * thread only.
 */
final class StubAgent implements AgentOperations {

  static final Member SELF =
      new Member(
          "node-1",
          new Address("10.0.0.1", 7360),
          3,
          MemberState.ALIVE,
          Set.of("control", "catalog"),
          Map.of("rack", "r1"),
          "zone-a",
          Environment.DEVELOPMENT,
          "main");

  static final Member SUSPECT =
      new Member(
          "node-2",
          new Address("10.0.0.2", 7360),
          1,
          MemberState.SUSPECT,
          Set.of(),
          Map.of(),
          "",
          Environment.DEVELOPMENT,
          "main");

  static final String SCRAPE = "# TYPE hivemind_members gauge\nhivemind_members 2.0\n";

  final List<List<Address>> joins = new ArrayList<>();
  int leaves;
  CompletableFuture<Void> joinResult = CompletableFuture.completedFuture(null);
  RuntimeException membersFailure;
  ControlPlane control = NoControlPlane.INSTANCE;

  @Override
  public Member self() {
    return SELF;
  }

  /** Out of name order on purpose: the API sorts. */
  @Override
  public List<Member> members() {
    if (membersFailure != null) {
      throw membersFailure;
    }
    return List.of(SUSPECT, SELF);
  }

  @Override
  public Map<String, Long> counters() {
    return Map.of("probe_failures", 1L, "packets_sent", 42L);
  }

  @Override
  public CompletableFuture<Void> join(List<Address> seeds) {
    joins.add(seeds);
    return joinResult;
  }

  @Override
  public CompletableFuture<Void> leave() {
    leaves++;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public ControlPlane control() {
    return control;
  }

  /** Where /v1/state requests go; a test sets its own. */
  io.hivemind.server.state.StateRequests state = io.hivemind.server.state.StateRequests.NONE;

  @Override
  public io.hivemind.server.state.StateRequests state() {
    return state;
  }

  @Override
  public String prometheusScrape() {
    return SCRAPE;
  }
}
