package io.hivemind.server.agent;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.agreement.ControlMembershipBridge;
import io.hivemind.server.catalog.AgentCatalogue;
import io.hivemind.server.catalog.CatalogReplication;
import io.hivemind.server.catalog.CatalogSessionConfig;
import io.hivemind.server.catalog.CatalogSessionService;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.catalog.ExternalServicesRegistrar;
import io.hivemind.server.catalog.MergedCatalogue;
import io.hivemind.server.catalog.ReplicaHost;
import io.hivemind.server.catalog.ReplicationConfig;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.http.HttpApi;
import io.hivemind.server.http.HttpApiConfig;
import io.hivemind.server.http.HttpApiStats;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.MembershipServiceConfig;
import io.hivemind.server.metrics.CatalogSessionMetrics;
import io.hivemind.server.metrics.CatalogueMetrics;
import io.hivemind.server.metrics.ControlMetrics;
import io.hivemind.server.metrics.MembershipMetrics;
import io.hivemind.server.metrics.ReplicationMetrics;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import io.hivemind.server.transport.CatalogSessionServer;
import io.hivemind.server.transport.GossipBindException;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.server.transport.HealthProber;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the membership service on the gossip port, the HTTP API and the metrics
 * registry, started in that order and closed in the reverse one. The composition root of
 * hivemind-server.
 *
 * <p>Leaving is the end of an agent's life, as with Serf's and Consul's {@code leave}: once its
 * LEFT has been announced (through the API, or {@link #leave}), the agent closes by itself, and
 * {@link #closed()} completes; a process running agents exits when the last has closed. Until then
 * it refuses joins (the API's {@code agent_left}) and answers reads from its last view, so nothing
 * it says is false.
 *
 * <p>Thread-safe: {@link #leave} and {@link #close} may come from a signal handler while the HTTP
 * API serves.
 */
public final class Agent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final RateLimitedLog CONFLICTS = new RateLimitedLog(log);

  /** The catalogue sessions port serves this host's processes only (see listenForSessions). */
  private static final String SESSIONS_HOST = "127.0.0.1";

  /** Proposals of configured external services are retried this often until committed. */
  private static final Duration EXTERNAL_SERVICES_RETRY = Duration.ofSeconds(1);

  private final AgentConfig config;
  private final MembershipService membership;
  private final PrometheusMeterRegistry registry;
  private final HttpApi http;
  private final AgentControl control;
  private final AgentCatalogue catalogue;
  private final HealthProber prober;
  private final CatalogReplication replication;
  private final CatalogSessionService sessions;
  private final GossipLoops catalogueLoops;
  private final AgentState state;
  private volatile CatalogSessionServer sessionServer;
  private volatile AutoCloseable externalServices;
  private final List<Role> roles = new ArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private Agent(
      AgentConfig config,
      MembershipService membership,
      PrometheusMeterRegistry registry,
      HttpApi http,
      AgentControl control,
      CatalogueParts catalogue,
      AgentState state) {
    this.config = config;
    this.state = state;
    this.membership = membership;
    this.registry = registry;
    this.http = http;
    this.control = control;
    this.catalogue = catalogue.catalogue();
    this.prober = catalogue.prober();
    this.replication = catalogue.replication();
    this.sessions = catalogue.sessions();
    this.catalogueLoops = catalogue.loops();
  }

  /** The catalogue and the prober running its HTTP and TCP checks, built and closed together. */
  private record CatalogueParts(
      AgentCatalogue catalogue,
      HealthProber prober,
      CatalogReplication replication,
      CatalogSessionService sessions,
      GossipLoops loops) {

    static CatalogueParts start(
        AgentConfig config, MembershipService membership, AgentControl control) {
      // A thread of its own, not the gossip loop's: applying a large owner's state (tens of
      // thousands of instances, in chunks) or a burst of registrations must never delay a probe
      // answer, or the agent is removed as dead and every replica drops its instances. The
      // follower's log moved off the gossip loop for the same reason (AgentControl).
      GossipLoops loops = GossipLoops.create(1, "hivemind-catalogue");
      DriverLoop loop = loops.next();
      HealthProber prober = HealthProber.on(loop);
      AgentCatalogue catalogue =
          new AgentCatalogue(
              loop,
              control.plane(),
              control.identity()::id,
              config.environment(),
              Clock.systemUTC(),
              prober);
      catalogue.start();
      // Replication rides the control gateway connections (ADR 0004): the follower's on a plain
      // agent (AgentControl), the gateway and the mesh on a control node (the control role).
      CatalogReplication replication =
          new CatalogReplication(
              catalogue, ReplicationConfig.defaults(), controlNodes(control.plane()));
      replication.start();
      // After the catalogue's own listener (it admits the owners first, on the same loop).
      control.plane().addListener(view -> replication.controlViewChanged());
      control.replicateCatalogue(replication);
      CatalogSessionService sessions =
          new CatalogSessionService(
              loop,
              catalogue,
              config.environment(),
              config.cluster(),
              config.nodeName(),
              Clock.systemUTC(),
              new SecureRandom(),
              CatalogSessionConfig.defaults(),
              // Its own resolver (its cache belongs to the catalogue's loop), as the HTTP API's.
              new AclTokenResolver(
                  config.acl().enabled(),
                  config.acl().defaultPolicy(),
                  config.acl().initialManagementToken(),
                  () -> control.plane().view()));
      return new CatalogueParts(catalogue, prober, replication, sessions, loops);
    }

    /** Node ids the control plane admitted with the control role: who may open a mesh link. */
    private static Predicate<String> controlNodes(ControlPlane plane) {
      return id ->
          plane.view().members().stream()
              .anyMatch(m -> m.id().equals(id) && m.hasRole(ControlConfig.CONTROL_ROLE));
    }

    void close() {
      sessions.close();
      replication.close();
      catalogue.close();
      prober.close();
      loops.close();
    }
  }

  /**
   * Starts an agent with its own event loop.
   *
   * @throws IOException when a port cannot be bound (the message names it)
   */
  public static Agent start(AgentConfig config, String version) throws IOException {
    return start(config, version, null);
  }

  /**
   * Starts an agent whose gossip runs on one of {@code loops} (shared by agents of one process), or
   * on its own event loop when {@code loops} is null.
   *
   * @throws IOException when a port cannot be bound (the message names it)
   * @throws io.hivemind.server.tls.TlsException when the TLS files cannot be used (one sentence
   *     naming the file), before any port is bound
   */
  public static Agent start(AgentConfig config, String version, GossipLoops loops)
      throws IOException {
    // First: it reads and checks the TLS files, and nothing of it runs yet.
    AgentControl created = new AgentControl(config.nodeConfig());
    MembershipService membership = MembershipService.start(serviceConfig(config), loops);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpApi http;
    AgentControl control;
    CatalogueParts catalogue = null;
    AgentState state = null;
    try {
      catalogue = CatalogueParts.start(config, membership, created);
      AgentState createdState = AgentState.create(created, membership, config.state());
      state = createdState;
      new CatalogueMetrics(catalogue.catalogue()).bindTo(registry);
      new ReplicationMetrics(catalogue.replication().stats()).bindTo(registry);
      new CatalogSessionMetrics(catalogue.sessions().stats()).bindTo(registry);
      HttpApiStats httpStats = new HttpApiStats();
      new MembershipMetrics(membership, httpStats).bindTo(registry);
      new ControlMetrics(
              created.plane(), () -> created.bridge() == null ? null : created.bridge().status())
          .bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      http =
          HttpApi.start(
              HttpApiConfig.of(config.httpBind().host(), config.httpBind().port(), version),
              new MembershipAgentOperations(
                      membership,
                      registry,
                      created.plane(),
                      () -> createdState.leave(() -> created.leave(membership)),
                      created::admission)
                  .withState(createdState.service()),
              catalogue.catalogue(),
              httpStats,
              config.acl());
      control = created;
    } catch (IOException | RuntimeException e) {
      if (state != null) {
        state.close();
      }
      if (catalogue != null) {
        catalogue.close();
      }
      membership.close();
      registry.close();
      throw e;
    }
    Agent agent = new Agent(config, membership, registry, http, control, catalogue, state);
    agent.startState();
    agent.startRoles();
    agent.listenForSessions();
    control.start(membership);
    membership.addListener(Agent::logEvent);
    membership.addListener(agent::closeOnceLeft);
    log.info(
        "agent {} started: environment {}, cluster {}, gossip {}, HTTP {}, roles {}",
        config.nodeName(),
        config.environment().id(),
        config.cluster(),
        membership.advertisedAddress(),
        http.uri(),
        config.roles());
    if (!config.seeds().isEmpty()) {
      agent.joinInBackground();
    }
    return agent;
  }

  /**
   * Binds the catalogue sessions port: the environment's well-known one on loopback, where the
   * host's clients look for it. Loopback always, whatever the HTTP API binds: with ACLs off the
   * port takes registrations without a token, so it serves this host's processes only. A port
   * already taken (another agent of the same instance on this host, or several agents in one test
   * JVM) leaves this agent without client sessions, said at WARN, rather than failing it: its HTTP
   * API still registers services.
   */
  private void listenForSessions() {
    int port = config.ports().catalog();
    try {
      sessionServer = CatalogSessionServer.bind(SESSIONS_HOST, port, sessions);
    } catch (GossipBindException e) {
      log.warn("no catalogue client sessions on this agent: {}", e.getMessage());
    }
  }

  /**
   * The catalogue's client sessions: bind another listener for them with {@link
   * CatalogSessionServer#bind} (another interface or port).
   */
  public CatalogSessionService catalogueSessions() {
    return sessions;
  }

  /** The port the catalogue sessions listen on, or empty when it could not be bound. */
  public Optional<Integer> catalogueSessionsPort() {
    CatalogSessionServer server = sessionServer;
    return server == null ? Optional.empty() : Optional.of(server.port());
  }

  /**
   * Starts the partitioned store (issue 13) on the state port, announcing its address and the HTTP
   * API's in gossip tags; before the roles, whose own tag updates then keep these. A state port
   * that cannot be bound stops the agent, as gossip's would: peers could not reach its partitions.
   */
  private void startState() {
    try {
      state.start(config, membership, control, http.uri(), registry);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the configured roles, in the registry's order, after the HTTP API (a role may serve
   * through it). A role that fails to start stops those started before it and the agent, and its
   * failure is the start's.
   */
  private void startRoles() throws IOException {
    RoleContext context =
        new RoleContext(
            config.nodeConfig(),
            membership,
            control.plane(),
            registry,
            control.tls(),
            replication,
            // As HTTP reads it: persistent registrations (the control log's) merged in, so DNS
            // answers for them too.
            new MergedCatalogue(catalogue, control::plane),
            config.acl().enabled()
                ? () ->
                    new AclTokenResolver(
                        true,
                        config.acl().defaultPolicy(),
                        config.acl().initialManagementToken(),
                        () -> control.plane().view())
                : null);
    try {
      for (Role role : Roles.registry().resolve(config.roles())) {
        role.start(context);
        roles.add(role);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Members that hear of a suspicion probe the suspect themselves (3 of them on average): the
   * control plane removes a member once two independent observers agree, and without these probes
   * gossip marks a crashed node DEAD, and everyone stops probing it, before the round-robin brings
   * a second observer (docs/benchmarks.md, "Control plane: removal"). A live suspect also refutes
   * sooner, since the probe carries the suspicion. A profile that sets its own count keeps it.
   */
  static final int CONFIRMATION_PROBES = 3;

  private static io.hivemind.core.membership.MembershipConfig withConfirmationProbes(
      io.hivemind.core.membership.MembershipConfig membership) {
    return membership.confirmationProbes() > 0
        ? membership
        : membership.toBuilder().confirmationProbes(CONFIRMATION_PROBES).build();
  }

  private static MembershipServiceConfig serviceConfig(AgentConfig config) {
    MembershipServiceConfig.Builder builder =
        MembershipServiceConfig.builder(config.nodeName(), config.environment())
            .cluster(config.cluster())
            .bindHost(config.gossipBind().host())
            .bindPort(config.gossipBind().port())
            .roles(config.roles())
            .tags(config.tags())
            .zone(config.zone())
            .membership(withConfirmationProbes(config.membership()));
    if (config.advertise() != null) {
      builder.advertiseHost(config.advertise().host()).advertisePort(config.advertise().port());
    }
    if (!config.encryptKeys().isEmpty()) {
      // AgentConfig checked every key already, so this cannot refuse one.
      builder.keyring(GossipKeyring.of(config.encryptKeys()));
    }
    return builder.build();
  }

  /**
   * Joins through the configured seeds. The node keeps retrying with exponential back-off capped at
   * 5 minutes until a seed answers, so a first attempt that failed is only logged, with what became
   * of each seed.
   */
  private void joinInBackground() {
    membership
        .join(config.seeds())
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                log.info("joined the cluster through {}", config.seeds());
              } else if (membership.state() != MembershipService.State.RUNNING) {
                // Leaving or closing fails the waiting join: the agent is shutting down, not
                // retrying.
                log.debug(
                    "join through {} abandoned: agent {} is shutting down",
                    config.seeds(),
                    config.nodeName());
              } else if (failure instanceof JoinException) {
                log.warn("join through {}: {}", config.seeds(), failure.getMessage());
              } else {
                log.warn("join through {} failed: {}", config.seeds(), failure.getMessage());
              }
            });
  }

  /** One readable line per change a person watching the log cares about; the rest at debug. */
  private static void logEvent(MembershipEvent event) {
    Member member = event.member();
    if (event.type() == MembershipEvent.Type.NAME_CONFLICT) {
      // A twin re-announces itself every few seconds: loud, but one line per member an interval.
      CONFLICTS.error(
          System.nanoTime(),
          member.name(),
          "NAME CONFLICT: member {} is at {} but another process at {} claims the same name;"
              + " rename one of them (the member already known keeps the name, the newcomer is"
              + " refused)",
          member.name(),
          member.address(),
          event.conflictingAddress());
      return;
    }
    String what =
        switch (event.type()) {
          case MEMBER_JOINED -> "member {} joined at {} (incarnation {})";
          case MEMBER_FAILED -> "member {} failed: DEAD at {} (incarnation {})";
          case MEMBER_LEFT -> "member {} left gracefully ({}, incarnation {})";
          case MEMBER_RECOVERED -> "member {} is alive again at {} (incarnation {})";
          case LOCAL_DECLARED_DEAD ->
              "this node {} was declared dead by the cluster; refuted and rejoining ({},"
                  + " incarnation {})";
          default -> null;
        };
    if (what != null) {
      log.info(what, member.name(), member.address(), member.incarnation());
    } else {
      log.debug(
          "{} {} ({}, incarnation {})",
          event.type(),
          member.name(),
          member.state(),
          member.incarnation());
    }
  }

  public AgentConfig config() {
    return config;
  }

  public MembershipService membership() {
    return membership;
  }

  /** Where other nodes reach this agent's gossip. */
  public Address gossipAddress() {
    return membership.advertisedAddress();
  }

  /**
   * The agent's control plane, as its HTTP API and roles see it: a control node's Raft plane once
   * it runs, a plain agent's follower of the committed log, degraded until either is there.
   */
  public ControlPlane control() {
    return control.plane();
  }

  /** Where this agent stands with the control plane; empty until it has started asking. */
  public Optional<ControlMembershipBridge.AdmissionStatus> admission() {
    return control.admission();
  }

  /** The agent's service catalogue, as HTTP, DNS and the CLI see it. */
  public Catalogue catalogue() {
    return catalogue;
  }

  /** The catalogue's replication between nodes: its counters, for metrics, tests and figures. */
  public CatalogReplication catalogueReplication() {
    return replication;
  }

  /** The agent's catalogue replica and its owning thread, as replication sees them. */
  public ReplicaHost replicaHost() {
    return catalogue;
  }

  /**
   * Registers the configuration's external services ({@link ExternalServicesYaml}) through the
   * control log once this agent has joined, retrying each second until each is committed (issue
   * 11). Safe at every start: an unchanged registration changes nothing. Call once, after start.
   */
  public void registerExternalServices(List<ControlCommand.CatalogRegister> services) {
    if (services.isEmpty()) {
      return;
    }
    externalServices =
        new ExternalServicesRegistrar(
                this::control,
                () -> admission().map(status -> status.memberId() != null).orElse(false),
                services,
                config.acl().ownWritesToken())
            .runEvery(EXTERNAL_SERVICES_RETRY);
  }

  /** The agent's partitioned store (issue 13): its driver, for its counters and tests. */
  public io.hivemind.server.state.StateService state() {
    return state.service();
  }

  /** The HTTP API's base address. */
  public URI httpUri() {
    return http.uri();
  }

  /**
   * At the node's LOCAL_LEFT (on its loop): the leave has been announced, so the agent's life is
   * over. Closing waits for sockets and threads, so it runs on a thread of its own; the answer to
   * the API's leave is already on its way (the leave's future completes before listeners run).
   */
  private void closeOnceLeft(MembershipEvent event) {
    if (event.type() != MembershipEvent.Type.LOCAL_LEFT) {
      return;
    }
    log.info("agent {} left the cluster; shutting down", config.nodeName());
    Thread closer = new Thread(this::close, "hivemind-close-" + config.nodeName());
    closer.start();
  }

  /**
   * Leaves the cluster gracefully: first this member's partitions are drained off it (at most a
   * minute, {@code StateDrain}), then LEFT is gossiped and given up to {@code timeout} to spread,
   * then the agent closes (as after a leave through the API). Returns false when the leave did not
   * complete in time (the others will then detect a failure); the caller closes the agent then.
   */
  public boolean leave(Duration timeout) {
    try {
      state.leave(() -> control.leave(membership)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      log.warn("leave did not complete within {}", timeout);
      return false;
    } catch (ExecutionException e) {
      log.warn("leave failed: {}", e.getCause().getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Completes once the agent has closed: after its leave was announced, or after {@link #close}.
   */
  public CompletableFuture<Void> closed() {
    return closed.copy();
  }

  /**
   * Stops at once, without leaving: to the others this is a failure, as {@code kill -9} (after a
   * leave, the agent calls this itself). Idempotent; a second caller returns once the first has
   * finished.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      closed.join();
      return;
    }
    try {
      closeExternalServices();
      state.close();
      control.close();
      stopRoles();
      http.close();
      CatalogSessionServer server = sessionServer;
      if (server != null) {
        server.close();
      }
      sessions.close();
      replication.close();
      catalogue.close();
      prober.close();
      catalogueLoops.close();
      membership.close();
      registry.close();
    } finally {
      closed.complete(null);
    }
  }

  private void closeExternalServices() {
    AutoCloseable registrar = externalServices;
    if (registrar != null) {
      try {
        registrar.close();
      } catch (Exception e) {
        log.warn("the external services' registrar failed to stop: {}", e.toString());
      }
    }
  }

  /** Stops the started roles in the reverse order of their starts. */
  private void stopRoles() {
    for (int i = roles.size() - 1; i >= 0; i--) {
      try {
        roles.get(i).stop();
      } catch (RuntimeException e) {
        // A role broke its contract; the others and the sockets must still be released.
        log.warn("{} failed to stop: {}", roles.get(i).name(), e.toString());
      }
    }
    roles.clear();
  }
}
