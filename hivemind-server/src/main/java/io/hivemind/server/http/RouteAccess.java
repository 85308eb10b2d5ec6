package io.hivemind.server.http;

import static io.hivemind.core.acl.AclAccess.READ;
import static io.hivemind.core.acl.AclAccess.WRITE;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.catalog.Catalogue;
import java.util.function.Supplier;

/**
 * What each route needs (docs/acl.md, "Endpoints and the access they need"), checked before its
 * endpoint runs. Routes whose resource name is in the body (service and check registration) are
 * checked by their endpoint through {@link ApiRequest#caller()}; the service lists ({@code
 * /v1/catalog/services}, {@code /v1/agent/services}, {@code /v1/agent/checks}, {@code
 * /v1/health/state}) filter their answers ({@link ApiCaller#readable}). A route this table does not
 * know needs a management token: a new endpoint is closed until someone decides what it needs.
 *
 * <p>Immutable; runs on the API's event loop.
 */
final class RouteAccess {

  /** No ACLs: nothing checked. */
  static final RouteAccess OPEN = new RouteAccess(ApiAcl.disabled(), () -> "", null);

  private final ApiAcl acl;
  private final Supplier<String> nodeName;
  private final Catalogue catalogue;

  /**
   * @param nodeName this agent's node name: the name of its {@code agent} resource
   * @param catalogue the agent's own instances, to find the service an instance or check id is of
   */
  RouteAccess(ApiAcl acl, Supplier<String> nodeName, Catalogue catalogue) {
    this.acl = acl;
    this.nodeName = nodeName;
    this.catalogue = catalogue;
  }

  /**
   * Resolves the caller of {@code request} to the matched route {@code template} and checks what
   * the route needs.
   *
   * @throws ApiException 403 {@code acl_denied}
   */
  void check(ApiRequest request, String template) {
    if (!acl.enabled()) {
      return;
    }
    ApiCaller caller = acl.caller(request);
    request.bindCaller(caller);
    String route = request.method().name() + " " + template;
    switch (route) {
      case "GET /v1/status/leader", "GET /v1/status/peers", "GET /v1/catalog/datacenters" -> {
        // Consul asks no token for these; health indicators poll them.
      }
      case "GET /v1/agent/members", "GET /v1/agent/self", "GET /v1/agent/metrics" ->
          caller.require(AclResource.AGENT, nodeName.get(), READ);
      case "PUT /v1/agent/join/{address}", "PUT /v1/agent/join", "PUT /v1/agent/leave" ->
          caller.require(AclResource.AGENT, nodeName.get(), WRITE);
      case "GET /v1/control/status",
          "GET /v1/operator/raft/configuration",
          "GET /v1/event/list",
          "GET /v1/event/stream",
          "GET /v1/partitions",
          "GET /v1/partitions/owners" ->
          caller.require(AclResource.OPERATOR, "", READ);
      case "POST /v1/operator/raft/transfer-leader",
          "DELETE /v1/operator/raft/peer",
          "PUT /v1/event/fire/{name}" ->
          caller.require(AclResource.OPERATOR, "", WRITE);
      case "GET /v1/catalog/nodes" -> caller.require(AclResource.NODE, "", READ);
      case "PUT /v1/agent/maintenance" -> caller.require(AclResource.NODE, nodeName.get(), WRITE);
      case "GET /v1/catalog/node/{node}", "GET /v1/health/node/{node}" ->
          // And the answer holds only the instances of services the caller may read.
          caller.require(AclResource.NODE, request.pathParam("node"), READ);
      case "GET /v1/kv/{key...}" -> key(caller, request, READ, "recurse", "keys");
      case "PUT /v1/kv/{key...}" -> key(caller, request, WRITE);
      case "DELETE /v1/kv/{key...}" -> key(caller, request, WRITE, "recurse");
      case "PUT /v1/txn" -> {
        // The keys are in the body: the endpoint checks each operation's, and the leader again
        // when the command arrives (CommandAccess).
      }
      case "PUT /v1/session/create",
          "PUT /v1/session/destroy/{id}",
          "PUT /v1/session/renew/{id}" -> {
        // The session's node is in the body or the session: the leader checks session:write on
        // it when the command arrives (CommandAccess).
      }
      case "GET /v1/session/info/{id}", "GET /v1/session/list" -> {
        // Filtered: the answer holds only the sessions of nodes the caller may read.
      }
      case "GET /v1/session/node/{node}" ->
          caller.require(AclResource.SESSION, request.pathParam("node"), READ);
      case "GET /v1/state/{map}/{key...}" -> state(caller, request, READ);
      case "PUT /v1/state/{map}/{key...}", "DELETE /v1/state/{map}/{key...}" ->
          state(caller, request, WRITE);
      default -> serviceRoute(caller, request, route);
    }
  }

  private void serviceRoute(ApiCaller caller, ApiRequest request, String route) {
    switch (route) {
      case "PUT /v1/agent/service/register",
          "PUT /v1/agent/check/register",
          "PUT /v1/catalog/register",
          "PUT /v1/catalog/deregister" -> {
        // The service is named in the body: the endpoint checks once it has read it.
      }
      case "GET /v1/catalog/services",
          "GET /v1/agent/services",
          "GET /v1/agent/checks",
          "GET /v1/health/state/{state}" -> {
        // Filtered: the answer holds only the services the caller may read.
      }
      case "PUT /v1/agent/service/deregister/{id}", "PUT /v1/agent/service/maintenance/{id}" ->
          instance(caller, request, WRITE);
      case "GET /v1/agent/service/{id}", "GET /v1/agent/health/service/id/{id}" ->
          instance(caller, request, READ);
      case "PUT /v1/agent/check/pass/{id}",
          "PUT /v1/agent/check/warn/{id}",
          "PUT /v1/agent/check/fail/{id}",
          "PUT /v1/agent/check/update/{id}",
          "PUT /v1/agent/check/deregister/{id}" ->
          check(caller, request.pathParam("id"));
      case "GET /v1/catalog/service/{name}",
          "GET /v1/health/service/{name}",
          "GET /v1/health/checks/{name}",
          "GET /v1/agent/health/service/name/{name}" ->
          caller.require(AclResource.SERVICE, request.pathParam("name"), READ);
      default -> aclRoute(caller, route);
    }
  }

  private static void aclRoute(ApiCaller caller, String route) {
    switch (route) {
      case "GET /v1/acl/token/self" -> {
        if (caller.token() == null) {
          throw ApiCaller.denied("reading the token of a request needs a token");
        }
      }
      case "GET /v1/acl/token/{id}", "GET /v1/acl/tokens" ->
          caller.require(AclResource.ACL, "", READ);
      case "PUT /v1/acl/token", "DELETE /v1/acl/token/{id}" ->
          caller.require(AclResource.ACL, "", WRITE);
      default -> caller.requireManagement(route + " (an endpoint without an ACL rule)");
    }
  }

  /** A partitioned-state entry: the key rule of {@code state/<map>/<key>} (issue 13). */
  private static void state(ApiCaller caller, ApiRequest request, AclAccess access) {
    caller.require(
        AclResource.KEY,
        "state/" + request.pathParam("map") + "/" + request.pathParam("key"),
        access);
  }

  /** A key, or every key under it when one of {@code recursive} flags is set. */
  private static void key(
      ApiCaller caller, ApiRequest request, AclAccess access, String... recursive) {
    String key = request.pathParam("key");
    for (String flag : recursive) {
      if (QueryParams.flag(request, flag)) {
        caller.requireUnder(AclResource.KEY, key, access);
        return;
      }
    }
    caller.require(AclResource.KEY, key, access);
  }

  /** An instance of this agent's: its service's access; an unknown id is the endpoint's 404. */
  private void instance(ApiCaller caller, ApiRequest request, AclAccess access) {
    String id = request.pathParam("id");
    for (ServiceInstance instance : catalogue.localInstances()) {
      if (instance.id().equals(id)) {
        caller.require(AclResource.SERVICE, instance.service(), access);
        return;
      }
    }
  }

  /**
   * A node check of this agent's: write to its node; a check of one of its instances: to its
   * service.
   */
  private void check(ApiCaller caller, String checkId) {
    for (CheckStatus check : catalogue.nodeChecks()) {
      if (check.checkId().equals(checkId)) {
        caller.require(AclResource.NODE, nodeName.get(), WRITE);
        return;
      }
    }
    for (ServiceInstance instance : catalogue.localInstances()) {
      for (CheckStatus check : instance.checks()) {
        if (check.checkId().equals(checkId)) {
          caller.require(AclResource.SERVICE, instance.service(), WRITE);
          return;
        }
      }
    }
  }
}
