package io.hivemind.testkit;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.http.AgentOperations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link AgentOperations} over fixed members: the HTTP shape under test, no sockets behind it.
 * Join and leave answer with whatever future the test sets (or join throws) and record their calls.
 * Shared by the end-to-end tests of the API, the client and the CLI.
 */
public final class FixedAgent implements AgentOperations {

  public static final Member SELF =
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

  public final List<Member> members =
      new CopyOnWriteArrayList<>(
          List.of(
              member("node-3", MemberState.DEAD),
              SELF,
              member("node-2", MemberState.SUSPECT),
              member("node-4", MemberState.LEFT)));
  public final List<List<Address>> joins = new CopyOnWriteArrayList<>();
  public volatile int leaves;
  public volatile CompletableFuture<Void> joinResult = CompletableFuture.completedFuture(null);
  public volatile CompletableFuture<Void> leaveResult = CompletableFuture.completedFuture(null);
  public volatile RuntimeException joinThrows;

  public static Member member(String name, MemberState state) {
    return new Member(
        name,
        new Address("10.0.0." + name.charAt(name.length() - 1), 7360),
        1,
        state,
        Set.of(),
        Map.of(),
        "",
        Environment.DEVELOPMENT,
        "main");
  }

  @Override
  public Member self() {
    return SELF;
  }

  @Override
  public List<Member> members() {
    return List.copyOf(members);
  }

  @Override
  public Map<String, Long> counters() {
    return Map.of("packets_sent", 42L, "probe_failures", 1L);
  }

  @Override
  public CompletableFuture<Void> join(List<Address> seeds) {
    if (joinThrows != null) {
      throw joinThrows;
    }
    joins.add(seeds);
    return joinResult;
  }

  @Override
  public CompletableFuture<Void> leave() {
    leaves++;
    return leaveResult;
  }

  @Override
  public String prometheusScrape() {
    return "# TYPE hivemind_members gauge\nhivemind_members 4.0\n";
  }
}
