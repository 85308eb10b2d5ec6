package io.hivemind.server.http;

import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.catalog.MergedCatalogue;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one API connection, and the route table its requests go through. {@link HttpApi}
 * installs it on every accepted connection; it needs no socket, so tests install it on an {@code
 * EmbeddedChannel}. Shared by all connections: the handlers it shares keep no state, and the
 * connection cap counts on the API's one event loop.
 *
 * <p>A connection over the cap gets nothing but its 503 ({@link ConnectionCap}). Every other one,
 * in order: the idle timeout; the deadline for a request's head and body to arrive ({@link
 * RequestDeadlines}, around the codec: it sees bytes come in front of it, and requests complete
 * behind it); the codec; the body limit; flow control; the routes.
 */
final class ApiChannelInitializer extends ChannelInitializer<Channel> {

  /**
   * Idle keep-alive connections close after two minutes: longer than a one-minute Prometheus scrape
   * interval (so a scraper keeps its connection), short enough to reclaim sockets of vanished
   * clients.
   */
  static final int IDLE_TIMEOUT_SECONDS = 120;

  /** The longest request line (method, URI, version); longer ones get 414. */
  static final int MAX_REQUEST_LINE_BYTES = 4096;

  /** The most header bytes of one request; more get 431. */
  static final int MAX_HEADER_BYTES = 8192;

  /** The largest body chunk the codec hands on at once; the body limit applies to their sum. */
  private static final int MAX_CHUNK_BYTES = 8192;

  /**
   * The large bodies (over the general limit) all connections may be receiving at once ({@link
   * BodyBudget}): 32 of the largest (the partitioned store's 1 MiB), an eighth of a plain agent's
   * 256 MB direct-memory limit.
   */
  static final long MAX_BODIES_IN_FLIGHT_BYTES = 32L << 20;

  /**
   * Paths whose bodies are a store's values, with that store's own limit above the API's general
   * one: Consul's KV takes values up to 512 KiB and its transactions requests up to 512 KiB ({@code
   * txn_max_req_len}), so Consul's clients never meet a smaller limit here; the partitioned store's
   * values are up to 1 MiB.
   */
  static final Map<String, Integer> LARGER_BODIES =
      Map.of(
          BodyLimit.STATE_PATH,
          StateHandlers.MAX_BODY_BYTES,
          "/v1/kv/",
          ControlFieldRules.MAX_KV_VALUE_BYTES,
          "/v1/txn",
          TxnHandlers.MAX_BODY_BYTES);

  private final int maxBodyBytes;
  private final ConnectionCap cap;
  private final HttpApiStats stats;
  private final BodyBudget.Ledger bodies = new BodyBudget.Ledger(MAX_BODIES_IN_FLIGHT_BYTES);
  private final RequestDeadlines.Timeouts timeouts;
  private final ApiRequestHandler requests;

  ApiChannelInitializer(HttpApiConfig config, AgentOperations agent, HttpApiStats stats) {
    this(config, agent, NoCatalogue.INSTANCE, stats);
  }

  ApiChannelInitializer(
      HttpApiConfig config, AgentOperations agent, Catalogue catalogue, HttpApiStats stats) {
    this(config, agent, catalogue, stats, AclConfig.DISABLED);
  }

  /** The pipeline, with every request checked against {@code aclConfig} (docs/acl.md). */
  ApiChannelInitializer(
      HttpApiConfig config,
      AgentOperations agent,
      Catalogue catalogue,
      HttpApiStats stats,
      AclConfig aclConfig) {
    this.maxBodyBytes = config.maxBodyBytes();
    this.cap = new ConnectionCap(config.limits().maxConnections(), stats);
    this.stats = stats;
    this.timeouts =
        new RequestDeadlines.Timeouts(
            config.limits().requestHeadTimeout(), config.limits().requestBodyTimeout(), stats);
    ApiAcl acl = new ApiAcl(aclConfig, () -> agent.control().view());
    Routes routes = aclRoutes(routes(config, agent, catalogue), new AclHandlers(agent, acl));
    this.requests =
        new ApiRequestHandler(routes, new RouteAccess(acl, () -> agent.self().name(), catalogue));
  }

  /** The token endpoints; {@link RouteAccess} says what each needs. */
  private static Routes aclRoutes(Routes routes, AclHandlers acl) {
    return routes
        .add(HttpMethod.PUT, "/v1/acl/token", Routes.takingBody(acl::create))
        .add(HttpMethod.GET, "/v1/acl/token/self", acl::self)
        .add(HttpMethod.GET, "/v1/acl/token/{id}", acl::read)
        .add(HttpMethod.DELETE, "/v1/acl/token/{id}", acl::delete)
        .add(HttpMethod.GET, "/v1/acl/tokens", acl::list);
  }

  /** The API's route table: one line per endpoint. */
  private static Routes routes(HttpApiConfig config, AgentOperations agent, Catalogue catalogue) {
    AgentHandlers handlers = new AgentHandlers(config, agent);
    ControlHandlers control = new ControlHandlers(agent);
    KvHandlers kv = new KvHandlers(agent);
    SessionHandlers sessions = new SessionHandlers(agent);
    EventHandlers events = new EventHandlers(agent);
    Routes routes =
        new Routes()
            .add(HttpMethod.GET, "/v1/agent/members", handlers::members)
            .add(HttpMethod.GET, "/v1/agent/self", handlers::self)
            .add(HttpMethod.GET, "/v1/agent/metrics", handlers::metrics)
            .add(HttpMethod.PUT, "/v1/agent/join/{address}", handlers::join)
            .add(HttpMethod.PUT, "/v1/agent/join", handlers::joinWithoutAddress)
            .add(HttpMethod.PUT, "/v1/agent/leave", handlers::leave)
            .add(HttpMethod.GET, "/v1/status/leader", control::leader)
            .add(HttpMethod.GET, "/v1/status/peers", control::peers)
            .add(HttpMethod.GET, "/v1/control/status", control::status)
            .add(HttpMethod.GET, "/v1/operator/raft/configuration", control::configuration)
            .add(HttpMethod.POST, "/v1/operator/raft/transfer-leader", control::transferLeader)
            .add(HttpMethod.DELETE, "/v1/operator/raft/peer", control::removePeer)
            .add(HttpMethod.GET, "/v1/catalog/nodes", control::catalogNodes)
            .add(HttpMethod.GET, "/v1/kv/{key...}", kv::get)
            .add(HttpMethod.PUT, "/v1/kv/{key...}", Routes.takingBody(kv::put))
            .add(HttpMethod.DELETE, "/v1/kv/{key...}", kv::delete)
            .add(HttpMethod.PUT, "/v1/txn", Routes.takingBody(new TxnHandlers(agent)::txn))
            .add(HttpMethod.PUT, "/v1/session/create", Routes.takingBody(sessions::create))
            .add(HttpMethod.PUT, "/v1/session/destroy/{id}", Routes.takingBody(sessions::destroy))
            .add(HttpMethod.PUT, "/v1/session/renew/{id}", Routes.takingBody(sessions::renew))
            .add(HttpMethod.GET, "/v1/session/info/{id}", sessions::info)
            .add(HttpMethod.GET, "/v1/session/node/{node}", sessions::node)
            .add(HttpMethod.GET, "/v1/session/list", sessions::list)
            .add(HttpMethod.GET, "/v1/event/list", events::list)
            .add(HttpMethod.GET, "/v1/event/stream", events::stream)
            .add(HttpMethod.PUT, "/v1/event/fire/{name}", Routes.takingBody(events::fire))
            .add(HttpMethod.GET, "/v1/partitions", new PartitionHandlers(agent)::table)
            .add(HttpMethod.GET, "/v1/partitions/owners", new PartitionOwners(agent)::owners);
    stateRoutes(routes, new StateHandlers(agent::state));
    return catalogueRoutes(routes, agent, catalogue);
  }

  /** The partitioned store's routes (issue 13); a key may hold slashes. */
  private static void stateRoutes(Routes routes, StateHandlers state) {
    routes
        .add(HttpMethod.GET, "/v1/state/{map}/{key...}", state::get)
        .add(HttpMethod.PUT, "/v1/state/{map}/{key...}", Routes.takingBody(state::put))
        .add(HttpMethod.DELETE, "/v1/state/{map}/{key...}", state::delete);
  }

  /**
   * Consul's catalogue endpoints. The agent's writes take a body: the registration, the update, or
   * (deregister, pass, warn, fail) one Consul ignores and some clients send anyway.
   */
  private static Routes catalogueRoutes(Routes routes, AgentOperations agent, Catalogue replica) {
    // Reads see the persistent registrations of the control log too (issue 11); writes go on to
    // the replica, or (catalog register/deregister) to the control plane.
    Catalogue catalogue = new MergedCatalogue(replica, agent::control);
    CatalogReads reads = new CatalogReads(catalogue, agent);
    CatalogNodes nodes = new CatalogNodes(agent);
    CatalogHandlers catalog = new CatalogHandlers(reads, nodes, agent);
    CatalogNodeHandlers nodeReads = new CatalogNodeHandlers(reads, nodes, agent);
    AgentServiceHandlers own = new AgentServiceHandlers(reads, nodes, agent);
    AgentCheckHandlers ownChecks = new AgentCheckHandlers(catalogue, () -> agent.self().name());
    CatalogWriteHandlers writes = new CatalogWriteHandlers(agent);
    return routes
        .add(HttpMethod.PUT, "/v1/catalog/register", Routes.takingBody(writes::register))
        .add(HttpMethod.PUT, "/v1/catalog/deregister", Routes.takingBody(writes::deregister))
        .add(HttpMethod.PUT, "/v1/agent/service/register", Routes.takingBody(own::register))
        .add(
            HttpMethod.PUT, "/v1/agent/service/deregister/{id}", Routes.takingBody(own::deregister))
        .add(
            HttpMethod.PUT,
            "/v1/agent/service/maintenance/{id}",
            Routes.takingBody(own::maintenance))
        .add(HttpMethod.PUT, "/v1/agent/maintenance", Routes.takingBody(own::nodeMaintenance))
        .add(HttpMethod.PUT, "/v1/agent/check/pass/{id}", Routes.takingBody(own::pass))
        .add(HttpMethod.PUT, "/v1/agent/check/warn/{id}", Routes.takingBody(own::warn))
        .add(HttpMethod.PUT, "/v1/agent/check/fail/{id}", Routes.takingBody(own::fail))
        .add(HttpMethod.PUT, "/v1/agent/check/update/{id}", Routes.takingBody(own::update))
        .add(HttpMethod.PUT, "/v1/agent/check/register", Routes.takingBody(ownChecks::register))
        .add(
            HttpMethod.PUT,
            "/v1/agent/check/deregister/{id}",
            Routes.takingBody(ownChecks::deregister))
        .add(HttpMethod.GET, "/v1/agent/services", own::services)
        .add(HttpMethod.GET, "/v1/agent/service/{id}", own::service)
        .add(HttpMethod.GET, "/v1/agent/checks", own::checks)
        .add(HttpMethod.GET, "/v1/agent/health/service/name/{name}", own::healthByName)
        .add(HttpMethod.GET, "/v1/agent/health/service/id/{id}", own::healthById)
        .add(HttpMethod.GET, "/v1/catalog/services", catalog::services)
        .add(HttpMethod.GET, "/v1/catalog/service/{name}", catalog::service)
        .add(HttpMethod.GET, "/v1/catalog/node/{node}", nodeReads::node)
        .add(HttpMethod.GET, "/v1/catalog/datacenters", nodeReads::datacenters)
        .add(HttpMethod.GET, "/v1/health/node/{node}", nodeReads::healthNode)
        .add(HttpMethod.GET, "/v1/health/service/{name}", catalog::healthService)
        .add(HttpMethod.GET, "/v1/health/checks/{name}", catalog::healthChecks)
        .add(HttpMethod.GET, "/v1/health/state/{state}", catalog::healthState);
  }

  @Override
  protected void initChannel(Channel channel) {
    if (!cap.admit(channel)) {
      return;
    }
    RequestDeadlines deadlines = timeouts.newConnection();
    BodyLimit limit = new BodyLimit(maxBodyBytes, LARGER_BODIES);
    channel
        .pipeline()
        .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .addLast(deadlines.bytesIn())
        .addLast(new HttpServerCodec(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
        .addLast(deadlines.requestsIn())
        .addLast(new BodyBudget(bodies, maxBodyBytes, limit::limitOf, stats))
        .addLast(limit)
        // Holds pipelined requests decoded from one read until the one before is answered (the
        // request handler turns auto-read off meanwhile).
        .addLast(new FlowControlHandler())
        .addLast(requests);
  }
}
