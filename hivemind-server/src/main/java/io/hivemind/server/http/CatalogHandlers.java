package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.http.CatalogJson.EntryCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Consul's catalogue and health reads over the local replica: {@code /v1/catalog/services}, {@code
 * /v1/catalog/service/{name}}, {@code /v1/health/service/{name}}, {@code /v1/health/checks/{name}}
 * and {@code /v1/health/state/{state}}, blocking as {@link CatalogReads} says. Runs on the HTTP
 * event loop; reads one immutable snapshot per answer, takes no lock.
 */
final class CatalogHandlers {

  private static final String NO_FILTERS =
      "Hivemind filters by ?tag and ?passing only; filter the answer on your side";

  private final CatalogReads reads;
  private final CatalogNodes nodes;
  private final AgentOperations agent;
  private final AnswerCache cache = new AnswerCache();

  CatalogHandlers(CatalogReads reads, CatalogNodes nodes, AgentOperations agent) {
    this.reads = reads;
    this.nodes = nodes;
    this.agent = agent;
  }

  /** {@code GET /v1/catalog/services}: every service's name and the union of its tags. */
  void services(ApiRequest request) {
    QueryParams.refuse(request, NO_FILTERS, "filter", "node-meta");
    ApiCaller caller = request.caller();
    reads.read(
        request,
        CatalogView::index,
        view ->
            ControlReply.json(
                200,
                serviceTags(view, name -> caller.may(AclResource.SERVICE, name, AclAccess.READ))));
  }

  /** {@code GET /v1/catalog/service/{name}[?tag=T...]}. */
  void service(ApiRequest request) {
    String name = request.pathParam("name");
    List<String> tags = tags(request);
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view ->
            ControlReply.json(
                200,
                CatalogJson.catalogServices(instances(view, name, tags, false), nodes.lookup())));
  }

  /** {@code GET /v1/health/service/{name}[?passing][&tag=T...]}. */
  void healthService(ApiRequest request) {
    String name = request.pathParam("name");
    List<String> tags = tags(request);
    boolean passing = passing(request);
    String key = name + '\0' + passing + '\0' + String.join("\0", tags);
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view ->
            ControlReply.json(
                200,
                cache.get(
                    key,
                    view,
                    agent.control().view(),
                    () ->
                        CatalogJson.serviceEntries(
                            instances(view, name, tags, passing), nodes.lookup()))));
  }

  /**
   * {@code GET /v1/health/checks/{name}}: the checks of the service's instances, not their nodes'
   * (as Consul).
   */
  void healthChecks(ApiRequest request) {
    String name = request.pathParam("name");
    QueryParams.refuse(request, NO_FILTERS, "filter", "node-meta");
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view -> {
          List<EntryCheck> checks = new ArrayList<>(checks(view.instances(name), null));
          checks.removeIf(check -> check.check().node());
          return ControlReply.json(200, CatalogJson.healthChecks(checks, nodes.lookup()));
        });
  }

  /** {@code GET /v1/health/state/{state}}: every check in that state, or all with {@code any}. */
  void healthState(ApiRequest request) {
    String state = request.pathParam("state").toLowerCase(Locale.ROOT);
    HealthStatus status = state.equals("any") ? null : stateOrRefuse(state);
    QueryParams.refuse(request, NO_FILTERS, "filter", "node-meta");
    ApiCaller caller = request.caller();
    reads.read(
        request,
        CatalogView::index,
        view -> {
          List<CatalogEntry> all = new ArrayList<>();
          view.services().values().forEach(entries -> all.addAll(caller.readable(entries)));
          return ControlReply.json(
              200, CatalogJson.healthChecks(checks(all, status), nodes.lookup()));
        });
  }

  private static HealthStatus stateOrRefuse(String state) {
    try {
      return HealthStatus.parse(state);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_state", "unknown state '" + state + "': use any, passing, warning or critical");
    }
  }

  static byte[] serviceTags(CatalogView view) {
    return serviceTags(view, name -> true);
  }

  /** The services {@code readable} accepts (ACLs filter lists, as Consul's do). */
  static byte[] serviceTags(CatalogView view, Predicate<String> readable) {
    SortedMap<String, SortedSet<String>> services = new TreeMap<>();
    for (Map.Entry<String, List<CatalogEntry>> service : view.services().entrySet()) {
      if (!readable.test(service.getKey())) {
        continue;
      }
      SortedSet<String> tags = new TreeSet<>();
      service.getValue().forEach(entry -> tags.addAll(entry.instance().tags()));
      services.put(service.getKey(), tags);
    }
    return CatalogJson.serviceTags(services);
  }

  /** The service's instances having every tag in {@code tags}, and passing when asked. */
  static List<CatalogEntry> instances(
      CatalogView view, String name, List<String> tags, boolean passingOnly) {
    List<CatalogEntry> all = view.instances(name);
    if (tags.isEmpty() && !passingOnly) {
      return all;
    }
    List<CatalogEntry> kept = new ArrayList<>();
    for (CatalogEntry entry : all) {
      boolean tagged = entry.instance().tags().containsAll(tags);
      boolean healthy = !passingOnly || entry.instance().health() == HealthStatus.PASSING;
      if (tagged && healthy) {
        kept.add(entry);
      }
    }
    return kept;
  }

  /** The entries' checks, those in {@code status} only unless it is null. */
  static List<EntryCheck> checks(List<CatalogEntry> entries, HealthStatus status) {
    List<EntryCheck> checks = new ArrayList<>();
    for (CatalogEntry entry : entries) {
      for (CheckStatus check : entry.instance().checks()) {
        if (status == null || check.status() == status) {
          checks.add(new EntryCheck(entry, check));
        }
      }
    }
    return checks;
  }

  private static List<String> tags(ApiRequest request) {
    QueryParams.refuse(request, NO_FILTERS, "filter", "node-meta");
    return request.queryParams("tag");
  }

  /**
   * Consul's {@code ?passing}: present without a value, or a Go boolean ({@code true}, {@code 1},
   * {@code t}...); {@code passing=false} means no filter, as Spring Cloud Consul sends it.
   */
  static boolean passing(ApiRequest request) {
    String value = request.queryParam("passing");
    if (value == null) {
      return false;
    }
    if (value.isBlank()) {
      return true;
    }
    return QueryParams.goBoolean(value)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "bad_passing", "'" + value + "' is not a valid passing: use true or false"));
  }
}
