package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.http.CatalogJson.EntryCheck;
import io.hivemind.server.http.CatalogNodes.Lookup;
import io.hivemind.server.http.CatalogNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  private final CatalogReads reads;
  private final CatalogNodes nodes;
  private final AgentOperations agent;
  private final AnswerCache cache = new AnswerCache();

  CatalogHandlers(CatalogReads reads, CatalogNodes nodes, AgentOperations agent) {
    this.reads = reads;
    this.nodes = nodes;
    this.agent = agent;
  }

  /**
   * {@code GET /v1/catalog/services}: every service's name and the union of its tags. With {@code
   * ?filter} or {@code ?node-meta}, of the instances they keep (as {@code
   * /v1/catalog/service/{name}} shows each: {@code ServiceName}, {@code ServiceTags}, {@code
   * NodeMeta}...), as Consul filters this list.
   */
  void services(ApiRequest request) {
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    ApiCaller caller = request.caller();
    Predicate<String> readable = name -> caller.may(AclResource.SERVICE, name, AclAccess.READ);
    reads.read(
        request,
        CatalogView::index,
        view -> {
          if (filter.isEmpty() && nodeMeta.isEmpty()) {
            return ControlReply.json(200, serviceTags(view, readable));
          }
          Lookup lookup = nodes.lookup();
          RegexBudget budget = RegexBudget.standard();
          SortedMap<String, SortedSet<String>> services = new TreeMap<>();
          view.services()
              .forEach(
                  (name, instances) -> {
                    if (readable.test(name)) {
                      for (CatalogEntry entry : kept(instances, filter, nodeMeta, lookup, budget)) {
                        services
                            .computeIfAbsent(name, n -> new TreeSet<>())
                            .addAll(entry.instance().tags());
                      }
                    }
                  });
          return ControlReply.json(200, CatalogJson.serviceTags(services));
        });
  }

  /** {@code GET /v1/catalog/service/{name}[?tag=T...][&filter=...][&node-meta=k:v...]}. */
  void service(ApiRequest request) {
    String name = request.pathParam("name");
    List<String> tags = request.queryParams("tag");
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view -> {
          Lookup lookup = nodes.lookup();
          List<CatalogEntry> entries =
              kept(
                  instances(view, name, tags, false),
                  filter,
                  nodeMeta,
                  lookup,
                  RegexBudget.standard());
          return ControlReply.json(200, CatalogJson.catalogServices(entries, lookup));
        });
  }

  /**
   * {@code GET /v1/health/service/{name}[?passing][&tag=T...][&filter=...][&node-meta=k:v...]}. The
   * answer without {@code ?filter} is cached per snapshot; a filter reads it back.
   */
  void healthService(ApiRequest request) {
    String name = request.pathParam("name");
    List<String> tags = request.queryParams("tag");
    boolean passing = passing(request);
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    String key =
        name
            + '\0'
            + passing
            + '\0'
            + String.join("\0", tags)
            + '\1'
            + nodeMeta.map(NodeMetaFilter::key).orElse("");
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view -> {
          byte[] answer =
              cache.get(
                  key,
                  view,
                  agent.control().view(),
                  () -> {
                    Lookup lookup = nodes.lookup();
                    return CatalogJson.serviceEntries(
                        onNodes(instances(view, name, tags, passing), nodeMeta, lookup), lookup);
                  });
          return ControlReply.json(200, ConsulFilter.applied(filter, answer));
        });
  }

  /**
   * {@code GET /v1/health/checks/{name}}: the checks of the service's instances, not their nodes'
   * (as Consul).
   */
  void healthChecks(ApiRequest request) {
    String name = request.pathParam("name");
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    reads.read(
        request,
        view -> view.serviceIndex(name),
        view -> {
          Lookup lookup = nodes.lookup();
          List<EntryCheck> checks =
              new ArrayList<>(checks(onNodes(view.instances(name), nodeMeta, lookup), null));
          checks.removeIf(check -> check.check().node());
          return ControlReply.json(
              200, ConsulFilter.applied(filter, CatalogJson.healthChecks(checks, lookup)));
        });
  }

  /** {@code GET /v1/health/state/{state}}: every check in that state, or all with {@code any}. */
  void healthState(ApiRequest request) {
    String state = request.pathParam("state").toLowerCase(Locale.ROOT);
    HealthStatus status = state.equals("any") ? null : stateOrRefuse(state);
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    Optional<NodeMetaFilter> nodeMeta = NodeMetaFilter.of(request);
    ApiCaller caller = request.caller();
    reads.read(
        request,
        CatalogView::index,
        view -> {
          List<CatalogEntry> all = new ArrayList<>();
          view.services().values().forEach(entries -> all.addAll(caller.readable(entries)));
          Lookup lookup = nodes.lookup();
          byte[] answer =
              CatalogJson.healthChecks(checks(onNodes(all, nodeMeta, lookup), status), lookup);
          return ControlReply.json(200, ConsulFilter.applied(filter, answer));
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

  /** The entries whose owner's node holds the {@code ?node-meta} pairs; all without any. */
  private static List<CatalogEntry> onNodes(
      List<CatalogEntry> entries, Optional<NodeMetaFilter> nodeMeta, Lookup lookup) {
    if (nodeMeta.isEmpty()) {
      return entries;
    }
    List<CatalogEntry> kept = new ArrayList<>();
    for (CatalogEntry entry : entries) {
      if (nodeMeta.get().test(lookup.node(entry.instance().owner()).meta())) {
        kept.add(entry);
      }
    }
    return kept;
  }

  /**
   * The entries of nodes holding the {@code ?node-meta} pairs that the filter keeps, each tested as
   * {@code /v1/catalog/service/{name}} writes it ({@link CatalogServiceFields}: no answer is
   * rendered and read back).
   */
  private static List<CatalogEntry> kept(
      List<CatalogEntry> entries,
      Optional<ConsulFilter> filter,
      Optional<NodeMetaFilter> nodeMeta,
      Lookup lookup,
      RegexBudget budget) {
    List<CatalogEntry> onNodes = onNodes(entries, nodeMeta, lookup);
    if (filter.isEmpty()) {
      return onNodes;
    }
    List<CatalogEntry> kept = new ArrayList<>();
    for (CatalogEntry entry : onNodes) {
      Node node = lookup.node(entry.instance().owner());
      if (filter.get().test(new CatalogServiceFields(entry, node), budget)) {
        kept.add(entry);
      }
    }
    return kept;
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
