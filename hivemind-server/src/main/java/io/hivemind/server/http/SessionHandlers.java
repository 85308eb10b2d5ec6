package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.Session;
import io.hivemind.core.control.SessionBehavior;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Consul's session API ({@code /v1/session/*}, docs/sessions.md) on the control plane's log:
 * creation, renewal and destruction are commands (the leader checks the token's {@code
 * session:write} on the session's node again), reads come from a view with Consul's consistency
 * modes and blocking, filtered to the sessions the caller may read. Runs on the HTTP event loop.
 */
final class SessionHandlers {

  /** Consul's default lock delay. */
  static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);

  /** Below this a number is seconds, above it nanoseconds: Consul's {@code FixupLockDelay}. */
  private static final long LOCK_DELAY_SECONDS_BELOW = 1000;

  private static final String CODE = "invalid_session";
  private static final Set<String> KNOWN =
      Set.of(
          "ID",
          "Name",
          "Node",
          "LockDelay",
          "Behavior",
          "TTL",
          "Checks",
          "NodeChecks",
          "ServiceChecks",
          "Namespace");

  private final AgentOperations agent;

  SessionHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code PUT /v1/session/create}: the body (optional) describes it; answers its ID. */
  void create(ApiRequest request) {
    ControlCommand.SessionCreate create = parse(request.body(), agent.self().name());
    request.caller().require(AclResource.SESSION, create.node(), AclAccess.WRITE);
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(create, ApiAcl.presented(request)),
        "session_failed",
        result -> {
          throwIfRefused(result);
          request.json(200, SessionJson.created(create.id()));
        });
  }

  /** {@code PUT /v1/session/destroy/{id}}: true, also when there was no such session (Consul). */
  void destroy(ApiRequest request) {
    String id = request.pathParam("id");
    withSession(
        request,
        id,
        session -> {
          if (session == null) {
            request.json(200, ControlJson.bool(true));
            return;
          }
          submitFor(
              request,
              session,
              new ControlCommand.SessionDestroy(id, session.node()),
              result -> {
                throwIfRefused(result);
                request.json(200, ControlJson.bool(true));
              });
        });
  }

  /**
   * {@code PUT /v1/session/renew/{id}}: the session as a one-element array, or 404. A renewal is a
   * committed command (Consul's leader only restarts a timer): every replica then expires a session
   * at the same index, whichever node leads.
   */
  void renew(ApiRequest request) {
    String id = request.pathParam("id");
    withSession(
        request,
        id,
        session -> {
          if (session == null) {
            throw notFound(id);
          }
          submitFor(
              request,
              session,
              new ControlCommand.SessionRenew(id, session.node()),
              result -> {
                if (result instanceof ApplyResult.Refused) {
                  throw notFound(id);
                }
                request.json(200, SessionJson.sessions(List.of(session)));
              });
        });
  }

  /** {@code GET /v1/session/info/{id}}: a one-element array, or an empty one. */
  void info(ApiRequest request) {
    String id = request.pathParam("id");
    read(
        request,
        view -> {
          Session session = view.sessions().get(id);
          return session == null ? List.of() : List.of(session);
        });
  }

  /** {@code GET /v1/session/node/{node}}: the sessions bound to a node. */
  void node(ApiRequest request) {
    String node = request.pathParam("node");
    read(request, view -> view.sessions().ofNode(node));
  }

  /** {@code GET /v1/session/list}: every session. */
  void list(ApiRequest request) {
    read(request, view -> List.copyOf(view.sessions().sessions().values()));
  }

  private void read(ApiRequest request, Function<ControlView, List<Session>> select) {
    ApiCaller caller = request.caller();
    ControlReads.read(
        request,
        agent.control(),
        view ->
            ControlReply.json(
                200,
                SessionJson.sessions(
                    select.apply(view).stream()
                        .filter(s -> caller.may(AclResource.SESSION, s.node(), AclAccess.READ))
                        .toList())));
  }

  /**
   * Runs {@code then} with session {@code id} as a linearizable read finds it (null when absent):
   * its node names the command, so the leader checks the token against the session's own node.
   */
  private void withSession(ApiRequest request, String id, Consumer<Session> then) {
    ControlAnswers.onCompletion(
        request,
        agent.control().linearizableView(),
        "session_failed",
        view -> then.accept(view.sessions().get(id)));
  }

  /**
   * Submits {@code command} about {@code session} once the caller may write sessions of its node,
   * and answers with {@code answer} on the event loop.
   */
  private void submitFor(
      ApiRequest request, Session session, ControlCommand command, Consumer<ApplyResult> answer) {
    request.caller().require(AclResource.SESSION, session.node(), AclAccess.WRITE);
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(command, ApiAcl.presented(request)),
        "session_failed",
        answer);
  }

  private static void throwIfRefused(ApplyResult result) {
    if (result instanceof ApplyResult.Refused refused) {
      throw ControlAnswers.refused(refused);
    }
  }

  private static ApiException notFound(String id) {
    return new ApiException(404, "no_session", "Session id '" + id + "' not found");
  }

  /**
   * The creation a body asks for (an empty body: Consul's defaults), bound to {@code selfNode}
   * unless it names a node.
   *
   * @throws ApiException 400 naming the field at fault
   */
  static ControlCommand.SessionCreate parse(byte[] body, String selfNode) {
    ConsulObject session =
        new ConsulObject(body.length == 0 ? Map.of() : JsonBody.parse(body), "the session", CODE);
    session.refuseUnknown(KNOWN);
    session.refuseValue("ID", "the agent chooses a session's ID");
    String node = session.string("Node", "");
    checks(session, "Checks");
    checks(session, "NodeChecks");
    if (session.has("ServiceChecks") && !session.strings("ServiceChecks").isEmpty()) {
      session.refuseValue(
          "ServiceChecks",
          "a session is bound to its node's membership only, not to service checks");
    }
    return new ControlCommand.SessionCreate(
        UUID.randomUUID().toString(),
        session.string("Name", ""),
        node.isEmpty() ? selfNode : node,
        behavior(session),
        ttl(session),
        lockDelay(session));
  }

  /** Consul's default check list, or the same said explicitly: nothing else is supported. */
  private static void checks(ConsulObject session, String name) {
    if (!session.has(name) || session.raw(name) == null) {
      return;
    }
    List<String> checks = session.strings(name);
    if (!checks.equals(List.of(SessionJson.SERF_HEALTH))) {
      throw new ApiException(
          400,
          "not_supported",
          session.field(name)
              + " is not supported: a session is bound to its node's membership (Consul's"
              + " serfHealth) and only to it; give [\"serfHealth\"] or leave it out");
    }
  }

  private static SessionBehavior behavior(ConsulObject session) {
    String behavior = session.string("Behavior", "release");
    return switch (behavior.toLowerCase(Locale.ROOT)) {
      case "", "release" -> SessionBehavior.RELEASE;
      case "delete" -> SessionBehavior.DELETE;
      default ->
          throw session.bad(session.field("Behavior") + " must be \"release\" or \"delete\"");
    };
  }

  private static long ttl(ConsulObject session) {
    Duration ttl = RegistrationJson.duration(session, "TTL", Duration.ZERO);
    long millis = ttl.toMillis();
    // Compared as a Duration: a TTL of a few nanoseconds is no TTL in milliseconds, and refused.
    if (!ttl.isZero()
        && (ttl.compareTo(Duration.ofMillis(ControlFieldRules.MIN_SESSION_TTL_MILLIS)) < 0
            || millis > ControlFieldRules.MAX_SESSION_TTL_MILLIS)) {
      throw session.bad(
          session.field("TTL")
              + " must be between "
              + ControlFieldRules.MIN_SESSION_TTL_MILLIS / 1000
              + "s and "
              + ControlFieldRules.MAX_SESSION_TTL_MILLIS / 1000
              + "s, or absent for none");
    }
    return millis;
  }

  private static long lockDelay(ConsulObject session) {
    Object raw = session.raw("LockDelay");
    Duration delay;
    if (raw instanceof Long number && number >= 0 && number < LOCK_DELAY_SECONDS_BELOW) {
      delay = Duration.ofSeconds(number);
    } else {
      delay = RegistrationJson.duration(session, "LockDelay", DEFAULT_LOCK_DELAY);
    }
    long millis = delay.toMillis();
    if (millis > ControlFieldRules.MAX_LOCK_DELAY_MILLIS) {
      throw session.bad(
          session.field("LockDelay")
              + " must be at most "
              + ControlFieldRules.MAX_LOCK_DELAY_MILLIS / 1000
              + "s");
    }
    return millis;
  }
}
