package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;

/**
 * Consul's persistent catalogue writes, {@code PUT /v1/catalog/register} and {@code PUT
 * /v1/catalog/deregister} (issue 11): proposed to the control plane's log as KV writes are, and
 * answered {@code true} once committed and applied on this agent, so the agent's next read shows
 * them. Without a quorum the write fails 503 {@code no_quorum}, like a KV write; a command the
 * state machine refuses is a 400 with its sentence. Runs on the HTTP event loop.
 */
final class CatalogWriteHandlers {

  private final AgentOperations agent;

  CatalogWriteHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code PUT /v1/catalog/register}. */
  void register(ApiRequest request) {
    submit(request, CatalogRegisterJson.register(request.body(), datacenter()));
  }

  /** {@code PUT /v1/catalog/deregister}. */
  void deregister(ApiRequest request) {
    submit(request, CatalogRegisterJson.deregister(request.body(), datacenter()));
  }

  /** The cluster's name, Consul's datacenter: the committed one, else this agent's. */
  private String datacenter() {
    String cluster = agent.control().view().cluster();
    return cluster.isEmpty() ? agent.self().cluster() : cluster;
  }

  private void submit(ApiRequest request, ControlCommand command) {
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(command),
        "catalog_failed",
        result -> {
          if (result instanceof ApplyResult.Refused refused) {
            throw ControlAnswers.refused(refused);
          }
          request.json(200, ControlJson.bool(true));
        });
  }
}
