package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.catalog.Catalogue;

/**
 * Consul's {@code PUT /v1/agent/check/register} and {@code PUT /v1/agent/check/deregister/{id}} for
 * the checks of this agent's instances. A check is added to (or removed from) an instance the agent
 * already owns; the instance's health follows its checks everywhere, through replication. Writes go
 * to the {@link Catalogue}'s thread and are answered when it completes them. Runs on the HTTP event
 * loop.
 */
final class AgentCheckHandlers {

  private final Catalogue catalogue;

  AgentCheckHandlers(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  /** {@code PUT /v1/agent/check/register}: 404 when the check's service is not this agent's. */
  void register(ApiRequest request) {
    CheckDefinition check = CheckJson.read(request.body());
    requireServiceWrite(request, check.serviceId());
    CatalogAnswers.onCompletion(
        request,
        catalogue.registerCheck(check),
        "check_register_failed",
        added -> {
          if (added) {
            request.empty();
          } else {
            request.error(
                404,
                "unknown_service",
                "this agent has no service instance with id '"
                    + check.serviceId()
                    + "' for check '"
                    + check.checkId()
                    + "': register the service first");
          }
        });
  }

  /** {@code PUT /v1/agent/check/deregister/{id}}: removes the check, its instance stays. */
  void deregister(ApiRequest request) {
    String id = request.pathParam("id");
    CatalogAnswers.onCompletion(
        request,
        catalogue.deregisterCheck(id),
        "check_deregister_failed",
        removed -> {
          if (removed) {
            request.empty();
          } else {
            request.error(404, "unknown_check", "this agent has no check with id '" + id + "'");
          }
        });
  }

  /** Adding a check to an instance is a write to its service; an unknown instance is a 404. */
  private void requireServiceWrite(ApiRequest request, String instanceId) {
    for (ServiceInstance instance : catalogue.localInstances()) {
      if (instance.id().equals(instanceId)) {
        request.caller().require(AclResource.SERVICE, instance.service(), AclAccess.WRITE);
        return;
      }
    }
  }
}
