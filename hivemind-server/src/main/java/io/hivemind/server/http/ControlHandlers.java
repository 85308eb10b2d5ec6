package io.hivemind.server.http;

import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The control plane's status and operator endpoints: {@code /v1/status/leader}, {@code
 * /v1/status/peers}, {@code /v1/control/status}, {@code /v1/operator/raft/*} and {@code
 * /v1/catalog/nodes}. Status reads are this agent's knowledge (no quorum needed: a degraded agent
 * answers {@code ""} for the leader); operator calls go to the Raft group. Runs on the HTTP event
 * loop.
 */
final class ControlHandlers {

  private final AgentOperations agent;

  ControlHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code GET /v1/status/leader}: {@code "host:port"} of the leader's Raft port, or "". */
  void leader(ApiRequest request) {
    ControlStatus status = agent.control().status();
    request.json(200, ControlJson.string(status.degraded() ? "" : status.leaderAddress()));
  }

  /** {@code GET /v1/status/peers}: the voters' Raft addresses. */
  void peers(ApiRequest request) {
    List<String> voters =
        agent.control().status().peers().stream()
            .filter(ControlPeer::voter)
            .map(ControlPeer::address)
            .toList();
    request.json(200, ControlJson.strings(voters));
  }

  /** {@code GET /v1/control/status}: what {@code hivemind status} prints. */
  void status(ApiRequest request) {
    ControlPlane plane = agent.control();
    ControlView view = plane.view();
    request.json(200, ControlJson.status(plane.status(), view));
  }

  /** {@code GET /v1/operator/raft/configuration}. */
  void configuration(ApiRequest request) {
    request.json(200, ControlJson.raftConfiguration(agent.control().status()));
  }

  /** {@code POST /v1/operator/raft/transfer-leader?id=ID}: answers {@code {"Success": true}}. */
  void transferLeader(ApiRequest request) {
    String id =
        QueryParams.required(request, "id", "name the peer to hand leadership to (list-peers)");
    answer(request, agent.control().transferLeadership(id), ControlJson.success());
  }

  /** {@code DELETE /v1/operator/raft/peer?id=ID} or {@code ?address=HOST:PORT}. */
  void removePeer(ApiRequest request) {
    String id = request.queryParam("id");
    String address = request.queryParam("address");
    if ((id == null || id.isBlank()) == (address == null || address.isBlank())) {
      throw ApiException.badRequest(
          "id_required", "name the peer to remove with ?id=ID or ?address=HOST:PORT, not both");
    }
    String peer = id != null && !id.isBlank() ? id : peerAt(address);
    answer(request, agent.control().removePeer(peer), null);
  }

  /** {@code GET /v1/catalog/nodes}: the admitted members, from the committed registry. */
  void catalogNodes(ApiRequest request) {
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    ControlReads.read(
        request,
        agent.control(),
        view -> {
          byte[] answer = ControlJson.catalogNodes(view);
          if (nodeMeta.isPresent()) {
            answer = nodeMeta.get().keepNodes(answer);
          }
          return ControlReply.json(200, ConsulFilter.applied(filter, answer));
        });
  }

  private String peerAt(String address) {
    return agent.control().status().peers().stream()
        .filter(p -> p.address().equals(address))
        .map(ControlPeer::id)
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    404, "unknown_peer", "no peer of the Raft group has address " + address));
  }

  /** 200 with {@code body} (or none) once the operation is done; its failure as an error. */
  private static void answer(ApiRequest request, CompletableFuture<Void> operation, byte[] body) {
    ControlAnswers.onCompletion(
        request,
        operation,
        "operator_failed",
        done -> {
          if (body == null) {
            request.empty();
          } else {
            request.json(200, body);
          }
        });
  }
}
