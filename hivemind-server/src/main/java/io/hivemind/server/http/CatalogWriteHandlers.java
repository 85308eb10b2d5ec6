package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;

/**
 * Consul's persistent catalogue writes, {@code PUT /v1/catalog/register} and {@code PUT
 * /v1/catalog/deregister} (issue 11): proposed to the control plane's log as KV writes are, and
 * answered {@code true} once committed and applied on this agent, so the agent's next read shows
 * them. Without a quorum the write fails 503 {@code no_quorum}, like a KV write; a command the
 * state machine refuses is a 400 with its sentence. The request's token goes with the command, so a
 * control node with ACLs checks it again (docs/acl.md). Runs on the HTTP event loop.
 */
final class CatalogWriteHandlers {

  private final AgentOperations agent;

  CatalogWriteHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /**
   * {@code PUT /v1/catalog/register}. With ACLs on it needs write on the node and, when it names
   * one, on the service (Consul's rule): the body names both, so the check follows its parsing.
   */
  void register(ApiRequest request) {
    ControlCommand.CatalogRegister command =
        CatalogRegisterJson.register(request.body(), datacenter());
    request.caller().require(AclResource.NODE, command.node().name(), AclAccess.WRITE);
    command
        .service()
        .ifPresent(
            service ->
                request.caller().require(AclResource.SERVICE, service.service(), AclAccess.WRITE));
    submit(request, command);
  }

  /** {@code PUT /v1/catalog/deregister}: with ACLs on, it needs write on the node. */
  void deregister(ApiRequest request) {
    ControlCommand.CatalogDeregister command =
        CatalogRegisterJson.deregister(request.body(), datacenter());
    request.caller().require(AclResource.NODE, command.node(), AclAccess.WRITE);
    submit(request, command);
  }

  /** The cluster's name, Consul's datacenter: the committed one, else this agent's. */
  private String datacenter() {
    String cluster = agent.control().view().cluster();
    return cluster.isEmpty() ? agent.self().cluster() : cluster;
  }

  private void submit(ApiRequest request, ControlCommand command) {
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(command, ApiAcl.presented(request)),
        "catalog_failed",
        result -> {
          if (result instanceof ApplyResult.Refused refused) {
            throw ControlAnswers.refused(refused);
          }
          request.json(200, ControlJson.bool(true));
        });
  }
}
