package io.hivemind.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.ApiError;
import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.api.WellKnownPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A client of one agent's HTTP API, over the JDK's {@link HttpClient} and Jackson.
 *
 * <pre>{@code
 * HivemindClient agent = HivemindClient.forEnvironment(Environment.DEVELOPMENT);
 * for (AgentMember member : agent.members(MemberState.ALIVE)) {
 *   System.out.println(member.name() + " " + member.addr());
 * }
 * }</pre>
 *
 * <p>Every call is synchronous and fails with a {@link HivemindClientException} carrying the
 * agent's error code and sentence, or this client's own when no usable answer came. Instances are
 * immutable and thread-safe; share one per agent.
 */
public final class HivemindClient {

  /** A local agent accepts at once; 5 s still covers a host under heavy load. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Reads are snapshot reads on the agent and answer in milliseconds. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Longer than the agent's own 30 s bound on join and leave, so that a slow join is reported by
   * the agent, with its reason, rather than by this client's timeout.
   */
  public static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(45);

  private static final TypeReference<List<AgentMember>> MEMBER_LIST = new TypeReference<>() {};

  private final URI agent;
  private final HttpClient http;
  private final ObjectMapper json = HivemindJson.newMapper();

  private HivemindClient(URI agent) {
    this.agent = agent;
    // HTTP/1.1 only: the agent does not speak h2c, and the JDK's upgrade attempt is wasted work.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /**
   * A client of the agent at {@code agent}.
   *
   * @param agent the agent's base URI, such as {@code http://127.0.0.1:7361}
   * @return a client; nothing is contacted yet
   * @throws IllegalArgumentException when {@code agent} is not an absolute http(s) URI with a host
   */
  public static HivemindClient connect(URI agent) {
    Objects.requireNonNull(agent, "agent");
    String scheme = agent.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || agent.getHost() == null) {
      throw new IllegalArgumentException(
          "agent address must look like http://host:port, got '" + agent + "'");
    }
    String text = agent.toString();
    return new HivemindClient(URI.create(text.endsWith("/") ? text.replaceAll("/+$", "") : text));
  }

  /**
   * A client of the local agent (instance 0) of {@code environment}, at {@code
   * http://127.0.0.1:<its well-known HTTP port>}.
   *
   * @param environment the environment whose agent to talk to
   * @return a client; nothing is contacted yet
   */
  public static HivemindClient forEnvironment(Environment environment) {
    return connect(URI.create("http://127.0.0.1:" + WellKnownPorts.of(environment).http()));
  }

  /**
   * The version of this client library.
   *
   * @return the jar's Implementation-Version, or {@code dev} when run from classes
   */
  public static String version() {
    String version = HivemindClient.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * The agent this client talks to.
   *
   * @return the base URI, without a trailing slash
   */
  public URI agent() {
    return agent;
  }

  /**
   * Every member the agent knows, in any state, sorted by name ({@code GET /v1/agent/members}).
   *
   * @return the members
   * @throws HivemindClientException when the call fails
   */
  public List<AgentMember> members() {
    return read("/v1/agent/members", MEMBER_LIST);
  }

  /**
   * The members the agent sees in {@code state}, sorted by name.
   *
   * @param state the state to keep
   * @return the members in that state
   * @throws HivemindClientException when the call fails
   */
  public List<AgentMember> members(MemberState state) {
    return read("/v1/agent/members?status=" + state.name().toLowerCase(Locale.ROOT), MEMBER_LIST);
  }

  /**
   * The agent's configuration, its own member record and its membership figures ({@code GET
   * /v1/agent/self}).
   *
   * @return the agent's view of itself
   * @throws HivemindClientException when the call fails
   */
  public AgentSelf self() {
    return read("/v1/agent/self", new TypeReference<AgentSelf>() {});
  }

  /**
   * Asks the agent to join the cluster through another node, and waits until it has. The agent
   * tries the address once and does not retry it in the background.
   *
   * @param address the other node's gossip address: {@code host}, {@code host:port}, {@code [v6]}
   *     or {@code [v6]:port}; without a port, the environment's well-known gossip port
   * @throws HivemindClientException with code {@code bad_address}, {@code join_failed} (the message
   *     says what happened: refused, timed out, closed without an answer), {@code join_self} (the
   *     address is the agent itself), {@code agent_left} (the agent has left the cluster and is
   *     shutting down) or {@code join_timeout} (the agent cancelled a join that took too long), or
   *     when the call fails
   */
  public void join(String address) {
    Objects.requireNonNull(address, "address");
    String segment = URLEncoder.encode(address, StandardCharsets.UTF_8).replace("+", "%20");
    change("/v1/agent/join/" + segment);
  }

  /**
   * Asks the agent to leave the cluster gracefully, and waits until the leave is announced. The
   * agent then shuts down: leaving is the end of an agent's life.
   *
   * @throws HivemindClientException with code {@code leave_failed}, or when the call fails
   */
  public void leave() {
    change("/v1/agent/leave");
  }

  /**
   * The agent's metrics in the Prometheus text format ({@code GET
   * /v1/agent/metrics?format=prometheus}).
   *
   * @return the exposition text
   * @throws HivemindClientException when the call fails
   */
  public String metrics() {
    HttpResponse<byte[]> response =
        send(request("/v1/agent/metrics?format=prometheus", READ_TIMEOUT).GET());
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private <T> T read(String path, TypeReference<T> type) {
    HttpResponse<byte[]> response = send(request(path, READ_TIMEOUT).GET());
    try {
      T value = json.readValue(response.body(), type);
      if (value == null) {
        throw new IOException("the answer is null");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new HivemindClientException(
          HivemindClientException.UNEXPECTED_RESPONSE,
          "the agent at " + agent + " answered GET " + path + " with JSON this client cannot read",
          response.statusCode(),
          e);
    }
  }

  private void change(String path) {
    send(request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(agent + path))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("User-Agent", "hivemind-client/" + version());
  }

  /** Sends, and turns every failure, transport or HTTP, into one exception with a sentence. */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw transportFailure(e, request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HivemindClientException(
          HivemindClientException.INTERRUPTED,
          "interrupted while waiting for the agent at " + agent,
          0,
          e);
    }
    if (response.statusCode() / 100 != 2) {
      throw agentError(response);
    }
    return response;
  }

  private HivemindClientException transportFailure(IOException e, HttpRequest request) {
    if (e instanceof HttpConnectTimeoutException) {
      return unreachable("no answer to connect within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    }
    if (e instanceof HttpTimeoutException) {
      long seconds = request.timeout().orElse(READ_TIMEOUT).toSeconds();
      return new HivemindClientException(
          HivemindClientException.TIMEOUT,
          "the agent at " + agent + " did not answer within " + seconds + " s",
          0,
          e);
    }
    if (e instanceof ConnectException) {
      return unreachable(
          hasCause(e, UnresolvedAddressException.class)
              ? "unknown host " + agent.getHost()
              : "connection refused",
          e);
    }
    return new HivemindClientException(
        HivemindClientException.IO_ERROR,
        "cannot talk to the agent at "
            + agent
            + ": "
            + (e.getMessage() == null ? e : e.getMessage()),
        0,
        e);
  }

  private HivemindClientException unreachable(String reason, IOException e) {
    return new HivemindClientException(
        HivemindClientException.UNREACHABLE, "no agent at " + agent + ": " + reason, 0, e);
  }

  private HivemindClientException agentError(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    try {
      ApiError error = json.readValue(response.body(), ApiError.class);
      if (error != null && error.error() != null && error.message() != null) {
        return new HivemindClientException(error.error(), error.message(), status, null);
      }
    } catch (IOException e) {
      // Not the API's error shape: reported below as an unexpected answer.
    }
    return new HivemindClientException(
        HivemindClientException.UNEXPECTED_RESPONSE,
        "the agent at "
            + agent
            + " answered HTTP "
            + status
            + " without an API error: is it a"
            + " Hivemind agent?",
        status,
        null);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
