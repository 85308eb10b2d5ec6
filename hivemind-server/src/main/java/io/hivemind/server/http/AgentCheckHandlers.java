package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.catalog.Catalogue;
import java.util.function.Supplier;

/**
 * Consul's {@code PUT /v1/agent/check/register} and {@code PUT /v1/agent/check/deregister/{id}} for
 * the checks of this agent's instances and its node checks. A check is added to (or removed from)
 * an instance the agent already owns; the instance's health follows its checks everywhere, through
 * replication. Writes go to the {@link Catalogue}'s thread and are answered when it completes them.
 * Runs on the HTTP event loop.
 */
final class AgentCheckHandlers {

  private final Catalogue catalogue;
  private final Supplier<String> nodeName;

  /**
   * @param nodeName this agent's node name: a node check is a write to that node
   */
  AgentCheckHandlers(Catalogue catalogue, Supplier<String> nodeName) {
    this.catalogue = catalogue;
    this.nodeName = nodeName;
  }

  /**
   * {@code PUT /v1/agent/check/register}: a check of one of this agent's instances (404 when the
   * instance is not this agent's), or, without a {@code ServiceID}, a node check, which every
   * instance of this agent carries (Consul's node checks: they count in all its services' health).
   */
  void register(ApiRequest request) {
    CheckDefinition check = CheckJson.read(request.body());
    if (check.nodeCheck()) {
      request.caller().require(AclResource.NODE, nodeName.get(), AclAccess.WRITE);
    } else {
      requireServiceWrite(request, check.serviceId());
    }
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
