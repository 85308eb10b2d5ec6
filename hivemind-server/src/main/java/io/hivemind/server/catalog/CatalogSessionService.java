package io.hivemind.server.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.catalog.CatalogSessions;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.SessionMessage;
import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.core.catalog.SessionResultCode;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.loop.DriverLoop;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the catalogue session protocol (docs/protocol/catalogue-sessions.md): admits
 * clients of its environment, attaches each connection to a session ({@link CatalogSessions}),
 * registers their instances in the {@link Catalogue} bound to that session, and when a connection
 * has been gone longer than the grace without being resumed, ends the session, which deletes its
 * instances (issue 11).
 *
 * <p>Owning thread: the agent's gossip loop, as the catalogue's; the transport calls {@link
 * #received} and {@link #closed} from its own threads and they hop onto the loop.
 */
public final class CatalogSessionService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatalogSessionService.class);
  private static final RateLimitedLog REFUSALS = new RateLimitedLog(log);

  /**
   * Which session and which of its attachments a connection carries, and the secret of the token
   * its hello presented ("" for none): resolved again at each register, so a deleted token stops
   * working on open connections too.
   */
  private record Attachment(String session, long connection, String token) {}

  private final DriverLoop loop;
  private final Catalogue catalogue;
  private final Environment environment;
  private final String cluster;
  private final String agentName;
  private final Clock clock;
  private final CatalogSessionConfig config;
  private final CatalogSessions sessions;
  private final AclTokenResolver acl;
  private final CatalogSessionStats stats = new CatalogSessionStats();
  private final Map<SessionConnection, Attachment> attached = new HashMap<>();
  private DriverLoop.Scheduled expiryTimer;
  private long expiryDue = Long.MAX_VALUE;
  private volatile boolean closed;

  /**
   * @param loop the owning thread: the catalogue's
   * @param catalogue where the sessions' instances are registered
   * @param environment the one environment this agent serves
   * @param cluster the agent's cluster name
   * @param agentName the agent's node name: prefixes session ids, and the welcome names it
   * @param clock the grace's time
   * @param random the session secrets' source: a {@code SecureRandom}
   * @param config grace, heartbeat and bounds
   */
  public CatalogSessionService(
      DriverLoop loop,
      Catalogue catalogue,
      Environment environment,
      String cluster,
      String agentName,
      Clock clock,
      Random random,
      CatalogSessionConfig config) {
    this(
        loop,
        catalogue,
        environment,
        cluster,
        agentName,
        clock,
        random,
        config,
        AclTokenResolver.disabled());
  }

  /**
   * As the constructor without ACLs, with them: when {@code acl} is enabled, a hello's token must
   * be known and every register needs service:write on its instance's service (docs/acl.md).
   *
   * @param acl resolves the hellos' tokens: the agent's, owned by this service's loop
   */
  public CatalogSessionService(
      DriverLoop loop,
      Catalogue catalogue,
      Environment environment,
      String cluster,
      String agentName,
      Clock clock,
      Random random,
      CatalogSessionConfig config,
      AclTokenResolver acl) {
    // Justification: nine collaborators, each a separate concern the agent composes.
    this.acl = Objects.requireNonNull(acl, "acl");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.agentName = Objects.requireNonNull(agentName, "agentName");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
    this.sessions = new CatalogSessions(random, config.grace(), config.maxSessions(), agentName);
  }

  public CatalogSessionConfig config() {
    return config;
  }

  public CatalogSessionStats stats() {
    return stats;
  }

  /** A frame from {@code connection}, decoded. Any thread. */
  public void received(SessionConnection connection, SessionMessage message) {
    onLoop(() -> receivedOnLoop(connection, message));
  }

  /**
   * Bytes from {@code connection} that were not a valid frame: a hello of another version is
   * refused as such, anything else as malformed; the connection is closed either way. Any thread.
   */
  public void malformed(SessionConnection connection, boolean otherVersion, String reason) {
    stats.countMalformed();
    onLoop(
        () -> {
          if (otherVersion && !attached.containsKey(connection)) {
            refuse(connection, SessionRefusal.BAD_VERSION, reason);
          } else {
            REFUSALS.warn(System.nanoTime(), "malformed", "closing session connection: {}", reason);
            detach(connection);
            connection.close();
          }
        });
  }

  /** {@code connection} closed: its session's grace starts. Any thread. */
  public void closed(SessionConnection connection) {
    onLoop(() -> detach(connection));
  }

  // ---- on the loop ------------------------------------------------------------------------

  private void receivedOnLoop(SessionConnection connection, SessionMessage message) {
    Attachment attachment = attached.get(connection);
    if (attachment == null) {
      if (message instanceof SessionMessage.Hello hello) {
        hello(connection, hello);
      } else {
        refuse(connection, SessionRefusal.MALFORMED, "the first frame must be a hello");
      }
      return;
    }
    if (!sessions.isAttached(attachment.session(), attachment.connection())) {
      // The session moved to a newer connection (the client resumed it there).
      attached.remove(connection);
      connection.close();
      return;
    }
    request(connection, attachment, message);
  }

  private void request(
      SessionConnection connection, Attachment attachment, SessionMessage message) {
    String session = attachment.session();
    if (message instanceof SessionMessage.Ping ping) {
      connection.send(new SessionMessage.Pong(ping.nonce()));
    } else if (message instanceof SessionMessage.Register register) {
      String denial = denial(attachment.token(), register.registration().service());
      if (denial != null) {
        stats.countDenied();
        connection.send(
            new SessionMessage.Result(register.request(), SessionResultCode.DENIED, denial));
        return;
      }
      register(connection, session, register);
    } else if (message instanceof SessionMessage.Deregister deregister) {
      deregister(connection, session, deregister);
    } else if (message instanceof SessionMessage.CheckUpdate update) {
      checkUpdate(connection, session, update);
    } else {
      REFUSALS.warn(
          System.nanoTime(),
          "unexpected",
          "closing session connection from {}: a client does not send {}",
          connection.remote(),
          message.getClass().getSimpleName());
      detach(connection);
      connection.close();
    }
  }

  private void hello(SessionConnection connection, SessionMessage.Hello hello) {
    if (!hello.environment().equals(environment.id())) {
      refuse(
          connection,
          SessionRefusal.WRONG_ENVIRONMENT,
          "this agent serves environment "
              + environment.id()
              + "; a client of environment '"
              + hello.environment()
              + "' must use its own environment's agents and ports");
      return;
    }
    if (!hello.cluster().isEmpty() && !hello.cluster().equals(cluster)) {
      refuse(
          connection,
          SessionRefusal.WRONG_CLUSTER,
          "this agent belongs to cluster " + cluster + ", not " + hello.cluster());
      return;
    }
    if (closed) {
      refuse(connection, SessionRefusal.NOT_READY, "this agent is stopping");
      return;
    }
    if (acl.enabled() && !hello.token().isEmpty() && acl.resolve(hello.token()) == null) {
      refuse(
          connection,
          SessionRefusal.ACL_DENIED,
          "the token presented is not known to this cluster (ACL not found)");
      return;
    }
    CatalogSessions.Attach outcome = sessions.attach(hello.resume());
    if (outcome instanceof CatalogSessions.Attach.Full full) {
      refuse(
          connection,
          SessionRefusal.TOO_MANY_SESSIONS,
          "this agent holds " + full.max() + " sessions, its most");
      return;
    }
    welcome(connection, hello, (CatalogSessions.Attach.Attached) outcome);
  }

  private void welcome(
      SessionConnection connection,
      SessionMessage.Hello hello,
      CatalogSessions.Attach.Attached session) {
    String id = session.credentials().id();
    // A resumed session leaves any older connection it had: that one is closed.
    List<SessionConnection> older = new ArrayList<>();
    attached.forEach(
        (other, held) -> {
          if (held.session().equals(id)) {
            older.add(other);
          }
        });
    older.forEach(attached::remove);
    older.forEach(SessionConnection::close);
    attached.put(connection, new Attachment(id, session.connection(), hello.token()));
    if (session.resumed()) {
      stats.countResumed();
    } else {
      stats.countOpened();
    }
    stats.setSessions(sessions.size());
    rearmExpiry();
    connection.send(
        new SessionMessage.Welcome(
            session.credentials(),
            agentName,
            config.grace().toMillis(),
            config.heartbeat().toMillis(),
            session.resumed()));
    log.debug(
        "{} {} for client '{}' at {}",
        session.resumed() ? "resumed" : "opened",
        id,
        hello.clientName(),
        connection.remote());
  }

  private void refuse(SessionConnection connection, SessionRefusal code, String sentence) {
    stats.countRefusal(code);
    REFUSALS.warn(
        System.nanoTime(),
        code.name(),
        "refused catalogue session from {}: {}",
        connection.remote(),
        sentence);
    connection.send(new SessionMessage.Refused(code, sentence));
    connection.close();
  }

  private void register(
      SessionConnection connection, String session, SessionMessage.Register register) {
    String id = register.registration().id();
    Optional<ServiceInstance> held = local(id);
    if (held.isPresent() && !held.get().session().equals(session)) {
      connection.send(
          new SessionMessage.Result(
              register.request(),
              SessionResultCode.INVALID,
              "instance " + id + " is registered by another session of this agent"));
      return;
    }
    answer(connection, register.request(), catalogue.register(register.registration(), session));
  }

  /**
   * Why the session's token may not register an instance of {@code service}, or null when it may
   * (always, with ACLs off). Names the permission missing, never the token.
   */
  private String denial(String secret, String service) {
    if (!acl.enabled()) {
      return null;
    }
    String needs =
        "registering needs "
            + AclResource.SERVICE.ruleName()
            + " \""
            + service
            + "\" "
            + AclAccess.WRITE.ruleName();
    if (secret.isEmpty()) {
      return acl.authorizer().allows(null, AclResource.SERVICE, service, AclAccess.WRITE)
          ? null
          : needs
              + ", and the session presented no token (the default policy is "
              + acl.authorizer().defaultPolicy().configName()
              + ")";
    }
    AclToken token = acl.resolve(secret);
    if (token == null) {
      return needs + ", and the session's token is no longer known to this cluster (ACL not found)";
    }
    return acl.authorizer().allows(token, AclResource.SERVICE, service, AclAccess.WRITE)
        ? null
        : needs + ", which the session's token does not grant";
  }

  private void deregister(
      SessionConnection connection, String session, SessionMessage.Deregister deregister) {
    String id = deregister.serviceId();
    if (local(id).filter(i -> i.session().equals(session)).isEmpty()) {
      connection.send(
          new SessionMessage.Result(
              deregister.request(),
              SessionResultCode.NOT_FOUND,
              "no instance " + id + " in this session"));
      return;
    }
    answer(connection, deregister.request(), catalogue.deregister(id));
  }

  private void checkUpdate(
      SessionConnection connection, String session, SessionMessage.CheckUpdate update) {
    boolean ours = false;
    for (ServiceInstance instance : catalogue.localInstances()) {
      if (instance.session().equals(session)) {
        for (CheckStatus check : instance.checks()) {
          ours |= check.checkId().equals(update.checkId());
        }
      }
    }
    if (!ours) {
      connection.send(
          new SessionMessage.Result(
              update.request(),
              SessionResultCode.NOT_FOUND,
              "no check " + update.checkId() + " in this session"));
      return;
    }
    answer(
        connection,
        update.request(),
        catalogue.updateCheck(update.checkId(), update.status(), update.output()));
  }

  private Optional<ServiceInstance> local(String id) {
    return catalogue.localInstances().stream().filter(i -> i.id().equals(id)).findFirst();
  }

  private static void answer(
      SessionConnection connection, long request, CompletableFuture<?> outcome) {
    outcome.whenComplete(
        (done, failure) -> {
          if (failure == null) {
            connection.send(SessionMessage.Result.ok(request));
            return;
          }
          Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
          SessionResultCode code =
              cause instanceof IllegalArgumentException
                  ? SessionResultCode.INVALID
                  : SessionResultCode.FAILED;
          String sentence = cause.getMessage() == null ? cause.toString() : cause.getMessage();
          connection.send(new SessionMessage.Result(request, code, sentence));
        });
  }

  private void detach(SessionConnection connection) {
    Attachment attachment = attached.remove(connection);
    if (attachment != null
        && sessions.disconnected(attachment.session(), attachment.connection(), clock.millis())) {
      log.debug("{} disconnected: ends in {} unless resumed", attachment.session(), config.grace());
      rearmExpiry();
    }
  }

  private void onExpiry() {
    expiryTimer = null;
    expiryDue = Long.MAX_VALUE;
    List<String> expired = sessions.expire(clock.millis());
    stats.countExpired(expired.size());
    stats.setSessions(sessions.size());
    for (String session : expired) {
      catalogue
          .endSession(session)
          .whenComplete(
              (count, failure) -> {
                if (failure != null) {
                  log.warn("could not end {}: {}", session, failure.toString());
                } else {
                  log.info("{} expired: {} instances deregistered", session, count);
                }
              });
    }
    rearmExpiry();
  }

  private void rearmExpiry() {
    long due = sessions.nextExpiryMillis().orElse(Long.MAX_VALUE);
    if (due == expiryDue || closed) {
      return;
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
      expiryTimer = null;
    }
    expiryDue = due;
    if (due != Long.MAX_VALUE) {
      expiryTimer = loop.schedule(this::onExpiry, Math.max(0, due - clock.millis()));
    }
  }

  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down with the agent
    }
  }

  /** Closes every client connection; sessions are not ended (the agent's instances go with it). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onLoop(
        () -> {
          if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
          }
          new ArrayList<>(attached.keySet()).forEach(SessionConnection::close);
          attached.clear();
        });
  }
}
