package io.hivemind.server.http;

import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.MemberState;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The {@code /v1/agent/*} endpoints. Runs on the HTTP event loop: reads are snapshot reads, join
 * and leave answer when their future completes, and a Prometheus scrape (a few milliseconds) runs
 * there too, delaying only other API requests.
 */
final class AgentHandlers {

  private final HttpApiConfig config;
  private final AgentOperations agent;

  AgentHandlers(HttpApiConfig config, AgentOperations agent) {
    this.config = config;
    this.agent = agent;
  }

  /**
   * {@code GET /v1/agent/members[?status=S]}; Consul's {@code segment} and {@code wan} do not
   * apply.
   */
  void members(ApiRequest request) {
    String status = request.queryParam("status");
    MemberState wanted = status == null ? null : state(status);
    List<AgentMember> members =
        agent.members().stream()
            .filter(m -> wanted == null || m.state() == wanted)
            .sorted(Comparator.comparing(Member::name))
            .map(AgentMembers::toApi)
            .toList();
    request.json(200, ApiJson.members(members));
  }

  /** {@code GET /v1/agent/self}. */
  void self(ApiRequest request) {
    Member self = agent.self();
    AgentSelf answer =
        new AgentSelf(
            AgentMembers.config(self, config.agentVersion()),
            AgentMembers.toApi(self),
            AgentMembers.stats(agent.members(), agent.counters()));
    request.json(200, ApiJson.self(answer, agent.admission()));
  }

  /** {@code GET /v1/agent/metrics?format=prometheus}; the only format we serve. */
  void metrics(ApiRequest request) {
    String format = request.queryParam("format");
    if (format == null) {
      throw ApiException.badRequest(
          "format_required",
          "add ?format=prometheus: metrics come only in the Prometheus text format"
              + " (counters as JSON are in the Stats of /v1/agent/self)");
    }
    if (!format.equals("prometheus")) {
      throw ApiException.badRequest(
          "bad_format", "unknown metrics format '" + format + "': use format=prometheus");
    }
    request.text(ApiRequest.PROMETHEUS_TEXT, agent.prometheusScrape());
  }

  /**
   * {@code PUT /v1/agent/join/{address}}: 200 once joined; {@code join_failed} when the join
   * failed, saying why (refused, timed out, the seed closed without answering); 400 {@code
   * join_self} when the address is this agent; 409 {@code agent_left} when the agent has left;
   * {@code join_timeout} when it did not finish in time, in which case it is cancelled: the agent
   * stops retrying a seed nobody waits for any more.
   */
  void join(ApiRequest request) {
    String wan = request.queryParam("wan");
    if (wan != null && !wan.isEmpty() && !wan.equals("0") && !wan.equals("false")) {
      throw ApiException.badRequest(
          "wan_not_supported", "WAN joins are not supported: Hivemind has one gossip pool");
    }
    Address seed = seed(request.pathParam("address"));
    String what = "join through " + seed;
    Completions.replyOrCancel(
        request, start(() -> agent.join(List.of(seed))), config.joinTimeout(), "join", what);
  }

  /** {@code PUT /v1/agent/join} without an address. */
  void joinWithoutAddress(ApiRequest request) {
    throw ApiException.badRequest(
        "bad_address", "give the address in the path: PUT /v1/agent/join/host[:port]");
  }

  /**
   * {@code PUT /v1/agent/leave}: 200 once the leave is announced; the agent then shuts down (a
   * leave is the end of its life).
   */
  void leave(ApiRequest request) {
    Completions.reply(request, start(agent::leave), config.leaveTimeout(), "leave_failed", "leave");
  }

  /**
   * Rejects a body on endpoints that take none: the client probably meant another API.
   *
   * @throws ApiException 400 {@code unexpected_body} when the request has one
   */
  static void requireNoBody(ApiRequest request) {
    int length = request.bodyLength();
    if (length > 0) {
      throw ApiException.badRequest(
          "unexpected_body",
          request.method() + " " + request.path() + " takes no body; got " + length + " bytes");
    }
  }

  private Address seed(String text) {
    try {
      return JoinAddress.parse(text, WellKnownPorts.of(agent.self().environment()).gossip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_address", e.getMessage());
    }
  }

  private static MemberState state(String text) {
    try {
      return MemberState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_status", "unknown status '" + text + "': use alive, suspect, dead or left");
    }
  }

  /** An agent that throws instead of returning a failed future fails the same way. */
  private static CompletableFuture<Void> start(Supplier<CompletableFuture<Void>> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
