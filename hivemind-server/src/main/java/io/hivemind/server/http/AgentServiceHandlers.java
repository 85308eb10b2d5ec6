package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.http.CatalogJson.EntryCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Consul's agent endpoints for the instances this agent owns: {@code PUT
 * /v1/agent/service/register}, {@code PUT /v1/agent/service/deregister/{id}}, {@code PUT
 * /v1/agent/check/pass|warn|fail/{id}}, {@code PUT /v1/agent/check/update/{id}}, and the reads
 * {@code GET /v1/agent/services}, {@code /v1/agent/service/{id}} and {@code /v1/agent/checks}.
 * Writes go to the {@link Catalogue} (its owning thread) and are answered when it completes them;
 * registrations are ephemeral, bound to this agent ({@link ServiceInstance#AGENT_SESSION}). Runs on
 * the HTTP event loop.
 */
final class AgentServiceHandlers {

  private static final Set<String> UPDATE_FIELDS = Set.of("Status", "Output");

  private final CatalogReads reads;
  private final CatalogNodes nodes;
  private final AgentOperations agent;

  AgentServiceHandlers(CatalogReads reads, CatalogNodes nodes, AgentOperations agent) {
    this.reads = reads;
    this.nodes = nodes;
    this.agent = agent;
  }

  /** {@code PUT /v1/agent/service/register}: Consul's registration JSON, any content type. */
  void register(ApiRequest request) {
    ServiceRegistration registration = RegistrationJson.read(request.body());
    request.caller().require(AclResource.SERVICE, registration.service(), AclAccess.WRITE);
    CatalogAnswers.onCompletion(
        request,
        catalogue().register(registration, ServiceInstance.AGENT_SESSION),
        "register_failed",
        registered -> request.empty());
  }

  /** {@code PUT /v1/agent/service/deregister/{id}}: 404 when this agent has no such instance. */
  void deregister(ApiRequest request) {
    String id = request.pathParam("id");
    CatalogAnswers.onCompletion(
        request,
        catalogue().deregister(id),
        "deregister_failed",
        removed -> {
          if (removed) {
            request.empty();
          } else {
            request.error(
                404,
                "unknown_service",
                "this agent has no service instance with id '"
                    + id
                    + "' (give its ID, not its"
                    + " name)");
          }
        });
  }

  void pass(ApiRequest request) {
    report(request, HealthStatus.PASSING, note(request));
  }

  void warn(ApiRequest request) {
    report(request, HealthStatus.WARNING, note(request));
  }

  void fail(ApiRequest request) {
    report(request, HealthStatus.CRITICAL, note(request));
  }

  /** {@code PUT /v1/agent/check/update/{id}} with {@code {"Status": "passing", "Output": ""}}. */
  void update(ApiRequest request) {
    ConsulObject body =
        new ConsulObject(JsonBody.parse(request.body()), "the update", "bad_update");
    body.refuseUnknown(UPDATE_FIELDS);
    String status = body.string("Status", "");
    HealthStatus parsed;
    try {
      parsed = HealthStatus.parse(status);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_update", "\"Status\" must be passing, warning or critical: '" + status + "'");
    }
    report(request, parsed, body.string("Output", ""));
  }

  /**
   * {@code PUT /v1/agent/service/maintenance/{id}?enable=true|false[&reason=]}: puts one of this
   * agent's instances in maintenance, Consul's way (a critical check, {@link
   * CheckDefinition#maintenance}, which leaves it out of passing lookups and DNS), or takes it out
   * (also when it was not in). 404 {@code unknown_service} when this agent has no such instance.
   */
  void maintenance(ApiRequest request) {
    String id = request.pathParam("id");
    boolean enable =
        QueryParams.requiredBoolean(request, "enable", "true puts the instance in maintenance");
    String reason = request.queryParam("reason");
    boolean held = catalogue().localInstances().stream().anyMatch(i -> i.id().equals(id));
    if (!held) {
      request.error(
          404, "unknown_service", "this agent has no service instance with id '" + id + "'");
      return;
    }
    CompletableFuture<Boolean> done =
        enable
            ? catalogue()
                .registerCheck(CheckDefinition.maintenance(id, reason == null ? "" : reason))
            : catalogue()
                .deregisterCheck(CheckDefinition.MAINTENANCE_PREFIX + id)
                .thenApply(removed -> true);
    CatalogAnswers.onCompletion(
        request,
        done,
        "maintenance_failed",
        found -> {
          if (found) {
            request.empty();
          } else {
            // Deregistered between the look and the change.
            request.error(
                404, "unknown_service", "this agent has no service instance with id '" + id + "'");
          }
        });
  }

  /**
   * {@code PUT /v1/agent/maintenance?enable=true|false[&reason=]}: puts this agent's node in
   * maintenance, or takes it out: every instance it owns, and every one registered while it is in,
   * carries a critical check ({@link Catalogue#nodeMaintenance}).
   */
  void nodeMaintenance(ApiRequest request) {
    boolean enable =
        QueryParams.requiredBoolean(
            request, "enable", "true puts this agent's node in maintenance");
    String reason = request.queryParam("reason");
    CatalogAnswers.onCompletion(
        request,
        catalogue().nodeMaintenance(enable, reason == null ? "" : reason),
        "maintenance_failed",
        changed -> request.empty());
  }

  /**
   * {@code GET /v1/agent/health/service/name/{name}[?format=text]}: the health of this agent's
   * instances of one service, for a load balancer's health check pointed at the local agent. The
   * status code carries the worst of them (200 passing, 429 warning, 503 critical or maintenance);
   * the body is each instance with its checks and {@code AggregatedStatus}, or with {@code
   * format=text} that status alone. 404 when this agent has no instance of the service.
   */
  void healthByName(ApiRequest request) {
    String name = request.pathParam("name");
    List<CatalogEntry> entries = new ArrayList<>();
    for (CatalogEntry entry : localEntries(catalogue().view())) {
      if (entry.instance().service().equals(name)) {
        entries.add(entry);
      }
    }
    if (entries.isEmpty()) {
      request.error(404, "unknown_service", "this agent has no instance of service '" + name + "'");
      return;
    }
    String worst = "passing";
    for (CatalogEntry entry : entries) {
      worst = worse(worst, AgentHealth.aggregated(entry.instance()));
    }
    healthAnswer(
        request, worst, CatalogJson.agentHealth(entries, datacenter(), agent.self().name(), true));
  }

  /** {@code GET /v1/agent/health/service/id/{id}[?format=text]}: as by name, for one instance. */
  void healthById(ApiRequest request) {
    String id = request.pathParam("id");
    for (CatalogEntry entry : localEntries(catalogue().view())) {
      if (entry.instance().id().equals(id)) {
        healthAnswer(
            request,
            AgentHealth.aggregated(entry.instance()),
            CatalogJson.agentHealth(List.of(entry), datacenter(), agent.self().name(), false));
        return;
      }
    }
    request.error(
        404, "unknown_service", "this agent has no service instance with id '" + id + "'");
  }

  private static String worse(String a, String b) {
    return AgentHealth.statusCode(a) >= AgentHealth.statusCode(b) ? a : b;
  }

  private static void healthAnswer(ApiRequest request, String status, byte[] json) {
    int code = AgentHealth.statusCode(status);
    if ("text".equals(request.queryParam("format"))) {
      request.respond(
          code, "text/plain; charset=utf-8", status.getBytes(StandardCharsets.UTF_8), Map.of());
    } else {
      request.json(code, json);
    }
  }

  /** {@code GET /v1/agent/services}: this agent's instances by id. */
  void services(ApiRequest request) {
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    CatalogView view = catalogue().view();
    List<CatalogEntry> entries = request.caller().readable(localEntries(view));
    reads.sendNow(
        request, ConsulFilter.applied(filter, CatalogJson.servicesById(entries, datacenter())));
  }

  /** {@code GET /v1/agent/service/{id}}: one of this agent's instances, 404 when it has none. */
  void service(ApiRequest request) {
    String id = request.pathParam("id");
    CatalogView view = catalogue().view();
    for (CatalogEntry entry : localEntries(view)) {
      if (entry.instance().id().equals(id)) {
        reads.sendNow(request, CatalogJson.service(entry, datacenter()));
        return;
      }
    }
    request.error(
        404, "unknown_service", "this agent has no service instance with id '" + id + "'");
  }

  /**
   * {@code GET /v1/agent/checks}: this agent's node checks (to a caller that may read its node) and
   * the checks of its instances (of the services the caller may read), by check id.
   */
  void checks(ApiRequest request) {
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    CatalogView view = catalogue().view();
    String node = agent.self().name();
    List<EntryCheck> checks =
        CatalogHandlers.checks(request.caller().readable(localEntries(view)), null);
    List<CheckStatus> nodeChecks =
        request.caller().may(AclResource.NODE, node, AclAccess.READ)
            ? catalogue().nodeChecks()
            : List.of();
    reads.sendNow(
        request, ConsulFilter.applied(filter, CatalogJson.checksById(nodeChecks, checks, node)));
  }

  private void report(ApiRequest request, HealthStatus status, String output) {
    String id = request.pathParam("id");
    CatalogAnswers.onCompletion(
        request,
        catalogue().updateCheck(id, status, output),
        "check_update_failed",
        known -> {
          if (known) {
            request.empty();
          } else {
            request.error(404, "unknown_check", "this agent has no TTL check with id '" + id + "'");
          }
        });
  }

  private static String note(ApiRequest request) {
    String note = request.queryParam("note");
    return note == null ? "" : note;
  }

  /**
   * This agent's instances with the replica's indexes (an instance not in the replica yet, a moment
   * after its registration, has index 0). Each service's entries are indexed once, so an agent with
   * many instances of one service is answered in linear time.
   */
  private List<CatalogEntry> localEntries(CatalogView view) {
    Map<String, Map<String, CatalogEntry>> held = new HashMap<>();
    List<CatalogEntry> entries = new ArrayList<>();
    for (ServiceInstance instance : catalogue().localInstances()) {
      CatalogEntry entry =
          held.computeIfAbsent(
                  instance.service(), service -> owned(view, service, instance.owner()))
              .get(instance.id());
      entries.add(
          entry == null
              ? new CatalogEntry(instance, 0, 0)
              : new CatalogEntry(instance, entry.createIndex(), entry.modifyIndex()));
    }
    return entries;
  }

  /** The service's entries of {@code owner} in the view, by id. */
  private static Map<String, CatalogEntry> owned(CatalogView view, String service, String owner) {
    Map<String, CatalogEntry> byId = new HashMap<>();
    for (CatalogEntry entry : view.instances(service)) {
      if (entry.instance().owner().equals(owner)) {
        byId.put(entry.instance().id(), entry);
      }
    }
    return byId;
  }

  private String datacenter() {
    return nodes.datacenter();
  }

  private Catalogue catalogue() {
    return reads.catalogue();
  }
}
