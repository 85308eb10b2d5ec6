package io.hivemind.client;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Registrations bound to this client's session over one long-lived connection to its host's agent
 * (docs/protocol/catalogue-sessions.md): they live as long as the client does, plus the agent's
 * grace period after its connection is gone, and need no deregistration when the client crashes.
 *
 * <p>With no addresses given it connects to instance 0, then instance 1, of its environment's
 * well-known catalogue port on localhost ({@link WellKnownPorts#catalog()}). When the connection
 * fails it tries the other agent at once, then backs off exponentially with jitter, capped at
 * {@link Backoff#CAP 5 minutes}. Back at the same agent within the grace, it resumes its session
 * (its id and secret) and its instances never left; at another agent it registers them all again,
 * with their last reported check statuses, so other nodes keep answering with them.
 *
 * <p>Thread-safe. One daemon thread ({@code hivemind-session-NAME}) holds the connection, reads the
 * agent's answers and sends heartbeats; futures complete on it, so do not block in their callbacks.
 */
public final class HivemindSession implements AutoCloseable {

  /** How long a connect may take: the agent is on this host, so an answer is quick or never. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long the agent may take to answer the hello. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** A connection that lasted this long worked: the back-off starts again from its first delay. */
  static final Duration STABLE = Duration.ofSeconds(1);

  /** Heartbeats without any frame from the agent before the connection is taken for dead. */
  static final int MISSED_HEARTBEATS = 3;

  private static final int PASSING = 1;
  private static final int WARNING = 2;
  private static final int CRITICAL = 3;

  private record Pending(String serviceId, boolean registration, CompletableFuture<Void> future) {}

  private record Report(int status, String output) {}

  private final Environment environment;
  private final String cluster;
  private final String clientName;
  private final String token;
  private final List<InetSocketAddress> agents;
  private final Backoff backoff;
  private final Thread thread;
  private final CompletableFuture<Void> firstWelcome = new CompletableFuture<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<String, SessionRegistration> registrations = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> unacked = new HashMap<>();
  private final Map<String, CompletableFuture<Void>> unackedRemovals = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<String, Report> reports = new HashMap<>();
  private Socket socket;
  private DataOutputStream out;
  private String sessionId = "";
  private byte[] secret = new byte[0];
  private String agent = "";
  private long nextRequest = 1;
  private long lastSentNanos;
  private volatile boolean closed;

  private HivemindSession(
      Environment environment,
      String cluster,
      String clientName,
      String token,
      List<InetSocketAddress> agents,
      Random random) {
    this.environment = environment;
    this.cluster = cluster;
    this.clientName = clientName;
    this.token = token;
    this.agents = List.copyOf(agents);
    this.backoff = new Backoff(random);
    this.thread = new Thread(this::run, "hivemind-session-" + clientName);
    this.thread.setDaemon(true);
  }

  /**
   * Opens a session with the host's agents of {@code environment}: instance 0, then 1, on the
   * well-known catalogue port of localhost. Returns at once; {@link #connected()} completes at the
   * first welcome.
   *
   * @param environment the environment this client serves; an agent of another refuses it
   * @param clientName names the client in the agent's logs
   * @return the session, connecting
   */
  public static HivemindSession open(Environment environment, String clientName) {
    return open(environment, clientName, "");
  }

  /**
   * As {@link #open(Environment, String)}, presenting an ACL token: with ACLs on, the agent refuses
   * a token it does not know at the handshake ({@link #connected()} fails with {@link
   * SessionRefusedException}, reason {@code acl_denied}) and each registration needs {@code
   * service:NAME write}. The token is not read from the environment: pass {@code
   * System.getenv("HIVEMIND_HTTP_TOKEN")} to use the CLI's.
   *
   * @param environment the environment this client serves; an agent of another refuses it
   * @param clientName names the client in the agent's logs
   * @param token the ACL token's secret, "" for none
   * @return the session, connecting
   */
  public static HivemindSession open(Environment environment, String clientName, String token) {
    List<InetSocketAddress> agents = new ArrayList<>();
    for (int instance = 0; instance < WellKnownPorts.INSTANCES; instance++) {
      agents.add(
          new InetSocketAddress("127.0.0.1", new WellKnownPorts(environment, instance).catalog()));
    }
    return open(environment, "", clientName, agents, token);
  }

  /**
   * Opens a session with the given agents, tried in order (the first is preferred).
   *
   * @param environment the environment this client serves
   * @param cluster the cluster it expects, "" for any
   * @param clientName names the client in the agent's logs
   * @param agents the agents' catalogue session addresses, at least one
   * @return the session, connecting
   */
  public static HivemindSession open(
      Environment environment, String cluster, String clientName, List<InetSocketAddress> agents) {
    return open(environment, cluster, clientName, agents, "");
  }

  /**
   * Opens a session with the given agents, presenting an ACL token (see {@link #open(Environment,
   * String, String)}).
   *
   * @param environment the environment this client serves
   * @param cluster the cluster it expects, "" for any
   * @param clientName names the client in the agent's logs
   * @param agents the agents' catalogue session addresses, at least one
   * @param token the ACL token's secret, "" for none
   * @return the session, connecting
   */
  public static HivemindSession open(
      Environment environment,
      String cluster,
      String clientName,
      List<InetSocketAddress> agents,
      String token) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(clientName, "clientName");
    Objects.requireNonNull(token, "token");
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("at least one agent address is needed");
    }
    HivemindSession session =
        new HivemindSession(environment, cluster, clientName, token.strip(), agents, new Random());
    session.thread.start();
    return session;
  }

  /**
   * Completes at the first welcome from an agent; fails with {@link SessionRefusedException} when
   * an agent refused this client for good (another environment, cluster or protocol version, or an
   * ACL token it does not know).
   *
   * @return a future of the first welcome
   */
  public CompletableFuture<Void> connected() {
    return firstWelcome.copy();
  }

  /**
   * The session's id, as every instance it registered carries it; "" before the first welcome.
   *
   * @return the id
   */
  public String sessionId() {
    synchronized (lock) {
      return sessionId;
    }
  }

  /**
   * The node name of the agent connected to now, "" when none is.
   *
   * @return the agent's name
   */
  public String agent() {
    synchronized (lock) {
      return out == null ? "" : agent;
    }
  }

  /**
   * Registers (or replaces) an instance in this session. It is kept, and registered again at
   * whichever agent the client fails over to.
   *
   * @param registration the instance
   * @return completes once an agent accepted it; fails with the agent's sentence when refused
   *     ({@link SessionRefusedException}, reason {@code acl_denied}, when the session's ACL token
   *     does not grant {@code service:NAME write}; the registration is then dropped)
   */
  public CompletableFuture<Void> register(SessionRegistration registration) {
    Objects.requireNonNull(registration, "registration");
    CompletableFuture<Void> answer = new CompletableFuture<>();
    synchronized (lock) {
      registrations.put(registration.id(), registration);
      CompletableFuture<Void> earlier = unacked.put(registration.id(), answer);
      if (earlier != null) {
        answer.whenComplete((done, failure) -> settle(earlier, failure));
      }
      unackedRemovals.remove(registration.id());
      if (out != null) {
        sendRegister(registration, answer);
      }
    }
    return answer;
  }

  /**
   * Deregisters an instance of this session.
   *
   * @param serviceId the instance id
   * @return completes once the agent removed it (at once when not connected to any agent: the
   *     session's end removes it there)
   */
  public CompletableFuture<Void> deregister(String serviceId) {
    Objects.requireNonNull(serviceId, "serviceId");
    CompletableFuture<Void> answer = new CompletableFuture<>();
    synchronized (lock) {
      SessionRegistration removed = registrations.remove(serviceId);
      if (removed != null) {
        removed.checks().forEach(check -> reports.remove(check.checkId()));
      }
      CompletableFuture<Void> registering = unacked.remove(serviceId);
      if (registering != null) {
        registering.completeExceptionally(
            new HivemindClientException(
                "deregistered", "deregistered before the agent accepted it", 0, null));
      }
      unackedRemovals.put(serviceId, answer);
      if (out != null) {
        long request = nextRequest++;
        pending.put(request, new Pending(serviceId, false, answer));
        send(SessionFrames.deregister(request, serviceId));
      }
    }
    return answer;
  }

  /**
   * Reports a TTL check passing.
   *
   * @param checkId the check
   * @param output a note shown with it
   * @return completes once the agent recorded it
   */
  public CompletableFuture<Void> pass(String checkId, String output) {
    return report(checkId, PASSING, output);
  }

  /**
   * Reports a TTL check warning.
   *
   * @param checkId the check
   * @param output a note shown with it
   * @return completes once the agent recorded it
   */
  public CompletableFuture<Void> warn(String checkId, String output) {
    return report(checkId, WARNING, output);
  }

  /**
   * Reports a TTL check critical.
   *
   * @param checkId the check
   * @param output a note shown with it
   * @return completes once the agent recorded it
   */
  public CompletableFuture<Void> fail(String checkId, String output) {
    return report(checkId, CRITICAL, output);
  }

  private CompletableFuture<Void> report(String checkId, int status, String output) {
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(output, "output");
    CompletableFuture<Void> answer = new CompletableFuture<>();
    synchronized (lock) {
      reports.put(checkId, new Report(status, output));
      if (out == null) {
        // Kept: sent again once an agent welcomes this client.
        answer.completeExceptionally(
            new HivemindClientException(
                HivemindClientException.UNREACHABLE,
                "no agent connected; the status is sent once one is",
                0,
                null));
        return answer;
      }
      sendReport(checkId, answer);
    }
    return answer;
  }

  // ---- the connection thread --------------------------------------------------------------

  private void run() {
    int preferred = 0;
    while (!closed) {
      long started = System.nanoTime();
      boolean welcomed = false;
      for (int i = 0; i < agents.size() && !closed && !welcomed; i++) {
        int index = (preferred + i) % agents.size();
        try {
          welcomed = connect(agents.get(index));
          preferred = index;
        } catch (SessionRefusedException e) {
          if (permanent(e)) {
            firstWelcome.completeExceptionally(e);
            closeQuietly();
            return;
          }
        } catch (IOException | RuntimeException e) {
          // This agent is not reachable or broke the protocol: the next one is tried.
        }
      }
      if (welcomed && System.nanoTime() - started >= STABLE.toNanos()) {
        backoff.reset();
      } else if (!closed) {
        // Nothing answered, or an agent welcomed and dropped this client at once: not again in a
        // tight loop.
        pause(backoff.nextDelayMillis());
      }
    }
  }

  private static boolean permanent(SessionRefusedException e) {
    return switch (e.reason()) {
      // An unknown token stays unknown: retrying it would only fill the agent's log.
      case "wrong_environment", "wrong_cluster", "bad_version", "acl_denied" -> true;
      default -> false;
    };
  }

  /**
   * One connection, from hello until it fails.
   *
   * @return true when the agent welcomed this client (the connection then served until it broke)
   */
  private boolean connect(InetSocketAddress address) throws IOException {
    try (Socket connection = new Socket()) {
      connection.connect(address, (int) CONNECT_TIMEOUT.toMillis());
      connection.setTcpNoDelay(true);
      connection.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(connection.getInputStream()));
      DataOutputStream output =
          new DataOutputStream(new BufferedOutputStream(connection.getOutputStream()));
      SessionFrames.Welcome welcome = handshake(in, output);
      attach(connection, output, welcome);
      firstWelcome.complete(null);
      try {
        serve(connection, in, welcome.heartbeatMillis());
      } catch (IOException | RuntimeException e) {
        // The connection broke: the caller fails over or reconnects.
      } finally {
        detach(connection);
      }
      return true;
    }
  }

  private SessionFrames.Welcome handshake(DataInputStream in, DataOutputStream output)
      throws IOException {
    byte[] hello;
    synchronized (lock) {
      hello = SessionFrames.hello(environment.id(), cluster, clientName, sessionId, secret, token);
    }
    SessionFrames.write(output, hello);
    SessionFrames.Answer answer = SessionFrames.decode(SessionFrames.read(in));
    if (answer instanceof SessionFrames.Refused refused) {
      throw new SessionRefusedException(refused.reason(), refused.sentence());
    }
    if (!(answer instanceof SessionFrames.Welcome welcome)) {
      throw new IOException("the agent answered the hello with " + answer);
    }
    return welcome;
  }

  /** Now connected: what the agent lacks is sent, before any new request. */
  private void attach(Socket connection, DataOutputStream output, SessionFrames.Welcome welcome) {
    synchronized (lock) {
      socket = connection;
      out = output;
      sessionId = welcome.session();
      secret = welcome.secret();
      agent = welcome.agent();
      for (SessionRegistration registration : registrations.values()) {
        CompletableFuture<Void> answer = unacked.get(registration.id());
        if (!welcome.resumed() || answer != null) {
          sendRegister(registration, answer == null ? new CompletableFuture<>() : answer);
        }
      }
      for (Map.Entry<String, CompletableFuture<Void>> removal : unackedRemovals.entrySet()) {
        if (welcome.resumed()) {
          long request = nextRequest++;
          pending.put(request, new Pending(removal.getKey(), false, removal.getValue()));
          send(SessionFrames.deregister(request, removal.getKey()));
        } else {
          removal.getValue().complete(null); // a new session never had it
        }
      }
      if (!welcome.resumed()) {
        unackedRemovals.clear();
      }
      // The latest statuses again: a new session's checks start critical, and a resumed one may
      // have missed reports made while the connection was down.
      reports.keySet().forEach(checkId -> sendReport(checkId, new CompletableFuture<>()));
    }
  }

  private void serve(Socket connection, DataInputStream in, long heartbeatMillis)
      throws IOException {
    connection.setSoTimeout((int) Math.max(1, heartbeatMillis));
    int missed = 0;
    while (!closed) {
      pingIfDue(heartbeatMillis);
      try {
        SessionFrames.Answer answer = SessionFrames.decode(SessionFrames.read(in));
        missed = 0;
        if (answer instanceof SessionFrames.Result result) {
          settle(result);
        }
      } catch (SocketTimeoutException e) {
        if (++missed >= MISSED_HEARTBEATS) {
          throw new IOException("the agent sent nothing for " + missed + " heartbeats", e);
        }
      }
    }
  }

  private void pingIfDue(long heartbeatMillis) {
    synchronized (lock) {
      if (out != null && System.nanoTime() - lastSentNanos >= heartbeatMillis * 1_000_000L) {
        send(SessionFrames.ping(nextRequest++));
      }
    }
  }

  private void settle(SessionFrames.Result result) {
    synchronized (lock) {
      Pending request = pending.remove(result.request());
      if (request == null) {
        return;
      }
      if (request.registration()) {
        unacked.remove(request.serviceId(), request.future());
        if (result.code().equals("invalid") || result.code().equals("denied")) {
          registrations.remove(request.serviceId()); // would be refused again after a failover
        }
      } else if (request.serviceId() != null) {
        unackedRemovals.remove(request.serviceId(), request.future());
      }
      if (result.ok()) {
        request.future().complete(null);
      } else if (result.code().equals("denied")) {
        request
            .future()
            .completeExceptionally(new SessionRefusedException("acl_denied", result.sentence()));
      } else {
        request
            .future()
            .completeExceptionally(
                new HivemindClientException(result.code(), result.sentence(), 0, null));
      }
    }
  }

  private static void settle(CompletableFuture<Void> future, Throwable failure) {
    if (failure == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(failure);
    }
  }

  private void detach(Socket connection) {
    synchronized (lock) {
      if (socket != connection) {
        return;
      }
      socket = null;
      out = null;
      // Registrations and removals stay unacknowledged and are sent again; reports are kept.
      for (Pending request : pending.values()) {
        if (!request.registration() && request.serviceId() == null) {
          request
              .future()
              .completeExceptionally(
                  new HivemindClientException(
                      HivemindClientException.IO_ERROR,
                      "the connection to the agent broke",
                      0,
                      null));
        }
      }
      pending.clear();
    }
  }

  // ---- sending (under lock) ---------------------------------------------------------------

  private void sendRegister(SessionRegistration registration, CompletableFuture<Void> answer) {
    long request = nextRequest++;
    pending.put(request, new Pending(registration.id(), true, answer));
    send(SessionFrames.register(request, registration));
  }

  private void sendReport(String checkId, CompletableFuture<Void> answer) {
    Report report = reports.get(checkId);
    long request = nextRequest++;
    pending.put(request, new Pending(null, false, answer));
    send(SessionFrames.checkUpdate(request, checkId, report.status(), report.output()));
  }

  private void send(byte[] frame) {
    try {
      SessionFrames.write(out, frame);
      lastSentNanos = System.nanoTime();
    } catch (IOException e) {
      // The reader sees the broken connection and reconnects; what was sent is sent again.
      closeSocket();
    }
  }

  private void closeSocket() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private void closeQuietly() {
    closed = true;
    synchronized (lock) {
      closeSocket();
    }
  }

  /**
   * Closes the connection and stops reconnecting. The agent keeps the session's instances for its
   * grace period, then deletes them; deregister first to remove them at once.
   */
  @Override
  public void close() {
    closeQuietly();
    thread.interrupt();
    firstWelcome.completeExceptionally(
        new HivemindClientException("closed", "the session was closed", 0, null));
  }
}
