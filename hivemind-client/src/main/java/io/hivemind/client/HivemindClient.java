package io.hivemind.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AclRuleSpec;
import io.hivemind.api.AclTokenInfo;
import io.hivemind.api.AgentMember;
import io.hivemind.api.AgentSelf;
import io.hivemind.api.AgentService;
import io.hivemind.api.ApiError;
import io.hivemind.api.CatalogNode;
import io.hivemind.api.ControlPlaneStatus;
import io.hivemind.api.Environment;
import io.hivemind.api.HealthCheck;
import io.hivemind.api.KvPair;
import io.hivemind.api.MemberState;
import io.hivemind.api.PartitionTableInfo;
import io.hivemind.api.RaftConfiguration;
import io.hivemind.api.ServiceEntry;
import io.hivemind.api.ServiceRegistrationRequest;
import io.hivemind.api.UserEvent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
public final class HivemindClient implements AutoCloseable {

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
  private static final TypeReference<List<KvPair>> KV_LIST = new TypeReference<>() {};

  private static final TypeReference<List<AclTokenInfo>> TOKEN_LIST = new TypeReference<>() {};

  private final URI agent;
  private final HttpClient http;
  private final boolean staleReads;
  private final String token;
  private final boolean binaryState;
  private final ObjectMapper json = HivemindJson.newMapper();

  /** The partitioned store's routing (its partition-owners table), shared by this client's maps. */
  private final StateCalls stateCalls;

  private HivemindClient(URI agent) {
    // HTTP/1.1 only: the agent does not speak h2c, and the JDK's upgrade attempt is wasted work.
    this(
        agent,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build(),
        false,
        null,
        true);
  }

  private HivemindClient(
      URI agent, HttpClient http, boolean staleReads, String token, boolean binaryState) {
    this.agent = agent;
    this.http = http;
    this.staleReads = staleReads;
    this.token = token;
    this.binaryState = binaryState;
    this.stateCalls =
        new StateCalls(
            agent,
            StateExchange.of(http),
            json,
            token,
            System::nanoTime,
            binaryState ? StateConnections.sockets(CONNECT_TIMEOUT, READ_TIMEOUT) : null,
            StateConnections.DAEMON_THREADS);
  }

  /**
   * A client of the same agent that presents {@code token} on every call ({@code X-Consul-Token}),
   * for an agent with ACLs enabled (docs/acl.md).
   *
   * @param token the token's secret ({@code SecretID}); null or blank for none
   * @return the client, sharing this one's connections and read mode
   */
  public HivemindClient withToken(String token) {
    return new HivemindClient(
        agent,
        http,
        staleReads,
        token == null || token.isBlank() ? null : token.strip(),
        binaryState);
  }

  /**
   * A client of the same agent whose control-plane reads ({@link #kvGet}, {@link #kvList}, {@link
   * #kvKeys}, {@link #events}, {@link #catalogNodes}) answer from the agent's local replica ({@code
   * ?stale}): they work without a quorum and may lag the leader. This client's reads stay
   * linearizable.
   *
   * @return the stale-reading client, sharing this one's connections
   */
  public HivemindClient withStaleReads() {
    return new HivemindClient(agent, http, true, token, binaryState);
  }

  /**
   * A client of the same agent whose partitioned-state calls ({@link #state}) use the binary state
   * client protocol or not. With it (the default), a call goes to its key's owner over one
   * pipelined TCP connection per agent (state_client.proto, docs/protocol/state-client.md), and
   * over HTTP while that connection is being made or is down, or when the owner announces no state
   * client port. Without it, every call goes over HTTP, as clients before it did: for a network
   * that lets the HTTP port through but not the state client port, or to compare the two.
   *
   * @param binary whether to use the binary protocol
   * @return the client, sharing this one's HTTP connections, with a table and binary connections of
   *     its own
   */
  public HivemindClient withBinaryState(boolean binary) {
    return new HivemindClient(agent, http, staleReads, token, binary);
  }

  /**
   * Closes this client's binary state connections (its daemon threads end); a later state call goes
   * over HTTP. The HTTP connections are the JDK client's, closed when it is collected; a client
   * that is never closed holds only daemon threads, which do not keep a JVM alive.
   */
  @Override
  public void close() {
    stateCalls.close();
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

  /**
   * The leader of the control plane's Raft group ({@code GET /v1/status/leader}).
   *
   * @return host:port of the leader's control port, or "" when the cluster is degraded (no quorum)
   * @throws HivemindClientException when the call fails
   */
  public String leader() {
    return read("/v1/status/leader", new TypeReference<String>() {});
  }

  /**
   * The voters of the control plane's Raft group ({@code GET /v1/status/peers}).
   *
   * @return their control addresses, host:port
   * @throws HivemindClientException when the call fails
   */
  public List<String> peers() {
    return read("/v1/status/peers", new TypeReference<List<String>>() {});
  }

  /**
   * The control plane as the agent sees it: leader, term, indexes, degraded or not, peers ({@code
   * GET /v1/control/status}).
   *
   * @return the status
   * @throws HivemindClientException when the call fails
   */
  public ControlPlaneStatus controlStatus() {
    return read("/v1/control/status", new TypeReference<ControlPlaneStatus>() {});
  }

  /**
   * The committed partition table ({@code GET /v1/partitions}, issue 13), with one partition's
   * replicas when {@code partition} is 0 or above.
   *
   * @param partition the partition whose replicas to include, or -1 for none
   * @return the table's version, counts and members' shares
   * @throws HivemindClientException with code {@code no_partition_table} (404) before the first
   *     table is committed, {@code bad_partition} (400) for a partition out of range, or when the
   *     call fails
   */
  public PartitionTableInfo partitions(int partition) {
    String path = partition < 0 ? "/v1/partitions" : "/v1/partitions?partition=" + partition;
    return read(path, new TypeReference<PartitionTableInfo>() {});
  }

  /**
   * A map of the cluster's partitioned store (issue 13): its calls go straight to each key's owner,
   * by the partition-owners table this client keeps, and through this client's agent until the
   * table is known. Maps of one client share that table.
   *
   * @param map the map's name: 1 to 128 letters, digits, '.', '_' or '-'
   * @return the map; nothing is contacted yet
   * @throws IllegalArgumentException for another name
   */
  public StateMap state(String map) {
    return new StateMap(map, stateCalls);
  }

  /**
   * Consul's sessions and KV locks through this client's agent: leader election and locks that end
   * with their holder (docs/sessions.md).
   *
   * @return the calls; nothing is contacted yet
   */
  public KvLocks locks() {
    return new KvLocks(this);
  }

  /**
   * How this client's partitioned-state calls were routed so far: its table's version, and how many
   * answers said the agent had to forward the call.
   *
   * @return the counts since this client was made
   */
  public StateRoutingStats stateRoutingStats() {
    return stateCalls.stats();
  }

  /**
   * The Raft group's servers ({@code GET /v1/operator/raft/configuration}).
   *
   * @return the configuration
   * @throws HivemindClientException when the call fails
   */
  public RaftConfiguration raftConfiguration() {
    return read("/v1/operator/raft/configuration", new TypeReference<RaftConfiguration>() {});
  }

  /**
   * Moves the Raft group's leadership to another voter ({@code POST
   * /v1/operator/raft/transfer-leader?id=ID}).
   *
   * @param peerId the voter's id, as {@link #raftConfiguration()} lists it
   * @throws HivemindClientException with code {@code no_quorum} (503) when the group has no quorum,
   *     {@code operator_refused} when the group refuses (no such voter), or when the call fails
   */
  public void transferLeader(String peerId) {
    Objects.requireNonNull(peerId, "peerId");
    send(
        request("/v1/operator/raft/transfer-leader?id=" + query(peerId), CHANGE_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * Removes a server from the Raft group ({@code DELETE /v1/operator/raft/peer?id=ID}).
   *
   * @param peerId the server's id, as {@link #raftConfiguration()} lists it
   * @throws HivemindClientException with code {@code no_quorum} (503) when the group has no quorum,
   *     {@code operator_refused} when the group refuses, or when the call fails
   */
  public void removePeer(String peerId) {
    Objects.requireNonNull(peerId, "peerId");
    send(request("/v1/operator/raft/peer?id=" + query(peerId), CHANGE_TIMEOUT).DELETE());
  }

  /**
   * The members the control plane admitted ({@code GET /v1/catalog/nodes}), read linearizably.
   *
   * @return the nodes, sorted by name
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, or when the call
   *     fails
   */
  public List<CatalogNode> catalogNodes() {
    return read(consistency("/v1/catalog/nodes"), new TypeReference<List<CatalogNode>>() {});
  }

  /**
   * One KV entry ({@code GET /v1/kv/KEY}), read linearizably.
   *
   * @param key the key
   * @return the entry, or empty when there is none
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, or when the call
   *     fails
   */
  public Optional<KvPair> kvGet(String key) {
    return kvRead(kvPath(key), KV_LIST).map(list -> list.isEmpty() ? null : list.get(0));
  }

  /**
   * Every KV entry whose key starts with {@code prefix} ({@code GET /v1/kv/PREFIX?recurse}).
   *
   * @param prefix the prefix; "" for all
   * @return the entries in key order; empty when there are none
   * @throws HivemindClientException when the call fails
   */
  public List<KvPair> kvList(String prefix) {
    return kvRead(kvPath(prefix) + "?recurse", KV_LIST).orElse(List.of());
  }

  /**
   * The keys under {@code prefix} ({@code GET /v1/kv/PREFIX?keys[&separator=S]}).
   *
   * @param prefix the prefix; "" for all
   * @param separator cut each key after the first separator past the prefix (one "folder" level),
   *     or null for whole keys
   * @return the keys in order; empty when there are none
   * @throws HivemindClientException when the call fails
   */
  public List<String> kvKeys(String prefix, String separator) {
    String path =
        kvPath(prefix) + "?keys" + (separator == null ? "" : "&separator=" + query(separator));
    return kvRead(path, new TypeReference<List<String>>() {}).orElse(List.of());
  }

  /**
   * Sets a KV entry ({@code PUT /v1/kv/KEY}).
   *
   * @param key the key
   * @param value the value
   * @return true once committed
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, {@code invalid}
   *     for a key or value the control plane refuses, or when the call fails
   */
  public boolean kvPut(String key, byte[] value) {
    return kvPut(key, value, 0, -1);
  }

  /**
   * Sets a KV entry with flags, maybe only if it is unchanged ({@code PUT
   * /v1/kv/KEY?flags=F&cas=I}).
   *
   * @param key the key
   * @param value the value
   * @param flags an opaque number stored with the entry
   * @param casIndex -1 to write unconditionally, 0 to write only if the key is absent, else the
   *     entry's {@code ModifyIndex} it must still have
   * @return true once committed, false when the compare-and-set found another index
   * @throws HivemindClientException as {@link #kvPut(String, byte[])}
   */
  public boolean kvPut(String key, byte[] value, long flags, long casIndex) {
    Objects.requireNonNull(value, "value");
    String path =
        kvPath(key)
            + "?flags="
            + Long.toUnsignedString(flags)
            + (casIndex >= 0 ? "&cas=" + casIndex : "");
    return kvChange(
        path, request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(value)));
  }

  /**
   * Deletes a KV entry ({@code DELETE /v1/kv/KEY}); deleting a missing key succeeds.
   *
   * @param key the key
   * @return true once committed
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, or when the call
   *     fails
   */
  public boolean kvDelete(String key) {
    return kvDelete(key, false);
  }

  /**
   * Deletes a KV entry, or with {@code recurse} every entry under the prefix {@code key} ({@code
   * DELETE /v1/kv/KEY[?recurse]}).
   *
   * @param key the key or prefix
   * @param recurse whether to delete every entry under the prefix
   * @return true once committed
   * @throws HivemindClientException as {@link #kvDelete(String)}
   */
  public boolean kvDelete(String key, boolean recurse) {
    String path = kvPath(key) + (recurse ? "?recurse" : "");
    return kvChange(path, request(path, CHANGE_TIMEOUT).DELETE());
  }

  /**
   * Appends an event to the cluster's event log ({@code PUT /v1/event/fire/NAME}).
   *
   * @param name the event's type
   * @param payload its payload, maybe empty
   * @return the event as logged
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, or when the call
   *     fails
   */
  public UserEvent fireEvent(String name, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    // ?detail: Hivemind's fields (index, epoch, subject, time) beside Consul's event shape.
    String path = "/v1/event/fire/" + segment(name) + "?detail";
    HttpResponse<byte[]> response =
        send(request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(payload)));
    return parse(response, "PUT " + path, new TypeReference<UserEvent>() {});
  }

  /**
   * The event log's retained events ({@code GET /v1/event/list}), at once, or after a change when
   * {@code index} is above 0: the agent answers once its log index passes {@code index}, or after
   * {@code wait} with the events as they are. Events after a known index are those whose {@link
   * UserEvent#index()} is above it.
   *
   * @param index 0 to read at once, else the {@link Indexed#index()} of the last answer
   * @param wait how long the agent may wait (at most 10 minutes); ignored when {@code index} is 0
   * @return the events, oldest first, with the index to wait after next
   * @throws HivemindClientException with code {@code no_quorum} without a quorum, or when the call
   *     fails
   */
  public Indexed<List<UserEvent>> events(long index, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    String path =
        consistency(
            "/v1/event/list?detail"
                + (index > 0 ? "&index=" + index + "&wait=" + wait.toMillis() + "ms" : ""));
    Duration timeout = index > 0 ? READ_TIMEOUT.plus(wait) : READ_TIMEOUT;
    HttpResponse<byte[]> response = send(request(path, timeout).GET());
    List<UserEvent> events =
        parse(response, "GET " + path, new TypeReference<List<UserEvent>>() {});
    return new Indexed<>(events, consulIndex(response));
  }

  /**
   * Creates an ACL token ({@code PUT /v1/acl/token}); needs a token with {@code acl} write.
   *
   * @param description free text
   * @param management whether the new token may do everything
   * @param rules what it may do otherwise
   * @return the token, with its {@code SecretID}: the only time the secret is shown
   * @throws HivemindClientException with code {@code acl_denied} (403), {@code bad_token} (400),
   *     {@code acl_disabled} (400), or when the call fails
   */
  public AclTokenInfo createToken(String description, boolean management, List<AclRuleSpec> rules) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Description", Objects.requireNonNull(description, "description"));
    body.put("Management", management);
    body.put("Rules", List.copyOf(rules));
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the token as JSON", e);
    }
    HttpResponse<byte[]> response =
        send(
            request("/v1/acl/token", CHANGE_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    return parse(response, "PUT /v1/acl/token", new TypeReference<AclTokenInfo>() {});
  }

  /**
   * Every ACL token, without secrets ({@code GET /v1/acl/tokens}); needs {@code acl} read.
   *
   * @return the tokens by accessor id
   * @throws HivemindClientException with code {@code acl_denied} (403), or when the call fails
   */
  public List<AclTokenInfo> tokens() {
    return read("/v1/acl/tokens", TOKEN_LIST);
  }

  /**
   * Deletes an ACL token ({@code DELETE /v1/acl/token/ID}); needs {@code acl} write.
   *
   * @param accessorId the token's {@code AccessorID}
   * @throws HivemindClientException with code {@code acl_not_found} (404), {@code acl_denied}
   *     (403), or when the call fails
   */
  public void deleteToken(String accessorId) {
    Objects.requireNonNull(accessorId, "accessorId");
    send(request("/v1/acl/token/" + segment(accessorId), CHANGE_TIMEOUT).DELETE());
  }

  /**
   * Registers an instance owned by the agent, with its checks ({@code PUT
   * /v1/agent/service/register}). It lives as long as the agent (or until {@link #deregister}), and
   * every node answers lookups of it once replicated.
   *
   * @param registration the instance and its checks
   * @throws HivemindClientException with code {@code invalid_registration}, {@code unknown_field}
   *     or {@code not_supported} (400) for a registration the agent refuses, or when the call fails
   */
  public void register(ServiceRegistrationRequest registration) {
    Objects.requireNonNull(registration, "registration");
    byte[] body;
    try {
      body = json.writeValueAsBytes(registration);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the registration as JSON", e);
    }
    send(
        request("/v1/agent/service/register", CHANGE_TIMEOUT)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /**
   * Deregisters one of the agent's instances ({@code PUT /v1/agent/service/deregister/ID}).
   *
   * @param serviceId the instance's id (not its service's name)
   * @throws HivemindClientException with code {@code unknown_service} (404) when the agent owns no
   *     such instance, or when the call fails
   */
  public void deregister(String serviceId) {
    Objects.requireNonNull(serviceId, "serviceId");
    change("/v1/agent/service/deregister/" + segment(serviceId));
  }

  /**
   * Reports a TTL check's status ({@code PUT /v1/agent/check/pass|warn|fail/ID?note=...}).
   *
   * @param checkId the check's id
   * @param status {@code passing}, {@code warning} or {@code critical}
   * @param note the check's output, maybe ""
   * @throws IllegalArgumentException for another status
   * @throws HivemindClientException with code {@code unknown_check} (404) when the agent has no
   *     such check, or when the call fails
   */
  public void reportCheck(String checkId, String status, String note) {
    Objects.requireNonNull(checkId, "checkId");
    String verb =
        switch (status) {
          case "passing" -> "pass";
          case "warning" -> "warn";
          case "critical" -> "fail";
          default ->
              throw new IllegalArgumentException(
                  "a check's status is passing, warning or critical: " + status);
        };
    change("/v1/agent/check/" + verb + "/" + segment(checkId) + "?note=" + query(note));
  }

  /**
   * Puts one of the agent's instances in maintenance, or takes it out ({@code PUT
   * /v1/agent/service/maintenance/ID?enable=...&reason=...}): while in, it carries a critical check
   * ({@code _service_maintenance:ID}) and leaves every lookup of passing instances and DNS.
   *
   * @param serviceId the instance's id
   * @param enable true to put it in, false to take it out
   * @param reason the reason shown as the check's notes, maybe "" (Consul's default sentence)
   * @throws HivemindClientException with code {@code unknown_service} (404) when the agent owns no
   *     such instance, or when the call fails
   */
  public void maintenance(String serviceId, boolean enable, String reason) {
    Objects.requireNonNull(serviceId, "serviceId");
    change(
        "/v1/agent/service/maintenance/"
            + segment(serviceId)
            + "?enable="
            + enable
            + "&reason="
            + query(Objects.requireNonNull(reason, "reason")));
  }

  /**
   * Puts the agent's node in maintenance, or takes it out ({@code PUT
   * /v1/agent/maintenance?enable=...&reason=...}): while in, every instance the agent owns, and
   * every one registered meanwhile, carries the critical {@code _node_maintenance} check.
   *
   * @param enable true to put it in, false to take it out
   * @param reason the reason shown as the check's notes, maybe "" (Consul's default sentence)
   * @throws HivemindClientException when the call fails
   */
  public void nodeMaintenance(boolean enable, String reason) {
    change(
        "/v1/agent/maintenance?enable="
            + enable
            + "&reason="
            + query(Objects.requireNonNull(reason, "reason")));
  }

  /**
   * The checks of the agent's own instances by id ({@code GET /v1/agent/checks}); node maintenance
   * is one {@code _node_maintenance} check, as Consul shows it.
   *
   * @throws HivemindClientException when the call fails
   */
  public Map<String, HealthCheck> agentChecks() {
    return read("/v1/agent/checks", new TypeReference<Map<String, HealthCheck>>() {});
  }

  /**
   * The agent's own instances by id ({@code GET /v1/agent/services}).
   *
   * @return the instances this agent owns
   * @throws HivemindClientException when the call fails
   */
  public Map<String, AgentService> agentServices() {
    return read("/v1/agent/services", new TypeReference<Map<String, AgentService>>() {});
  }

  /**
   * Every service in the catalogue and its tags ({@code GET /v1/catalog/services}), from the
   * agent's replica.
   *
   * @return the services' names, sorted, each with the union of its instances' tags
   * @throws HivemindClientException when the call fails
   */
  public Indexed<Map<String, List<String>>> services() {
    String path = "/v1/catalog/services";
    HttpResponse<byte[]> response = send(request(path, READ_TIMEOUT).GET());
    return new Indexed<>(
        parse(response, "GET " + path, new TypeReference<Map<String, List<String>>>() {}),
        consulIndex(response));
  }

  /**
   * A service's instances, healthy or not, with their nodes and checks ({@code GET
   * /v1/health/service/NAME}).
   *
   * @param service the service's name
   * @return the instances, by owner then id; empty when there are none
   * @throws HivemindClientException when the call fails
   */
  public List<ServiceEntry> lookup(String service) {
    return watch(service, false, 0, Duration.ZERO).value();
  }

  /**
   * A service's instances that a filter expression keeps ({@code GET
   * /v1/health/service/NAME?filter=...}): Consul's filter language over the answer's fields, as
   * {@code Service.Tags contains "v2" and Service.Meta.env == prod} (the agent's
   * docs/catalogue-http.md, "Filtering").
   *
   * @param service the service's name
   * @param filter the expression; null or blank for none
   * @return the instances kept; empty when there are none
   * @throws HivemindClientException when the call fails, or the agent refuses the expression (400
   *     {@code bad_filter}, saying where and why)
   */
  public List<ServiceEntry> lookup(String service, String filter) {
    return watch(service, false, filter, 0, Duration.ZERO).value();
  }

  /**
   * A service's passing instances ({@code GET /v1/health/service/NAME?passing}).
   *
   * @param service the service's name
   * @return the passing instances; empty when there are none
   * @throws HivemindClientException when the call fails
   */
  public List<ServiceEntry> healthyInstances(String service) {
    return watch(service, true, 0, Duration.ZERO).value();
  }

  /**
   * A service's instances once they change after {@code index} (a blocking query): the agent
   * answers when the service changes on its replica, or after {@code wait} with the instances as
   * they are. Call it in a loop with the last answer's index to follow a service.
   *
   * @param service the service's name
   * @param passingOnly whether to keep passing instances only
   * @param index 0 to read at once, else the {@link Indexed#index()} of the last answer
   * @param wait how long the agent may wait (at most 10 minutes, plus up to a sixteenth)
   * @return the instances, with the index to wait after next
   * @throws HivemindClientException when the call fails
   */
  public Indexed<List<ServiceEntry>> watch(
      String service, boolean passingOnly, long index, Duration wait) {
    return watch(service, passingOnly, null, index, wait);
  }

  /**
   * As {@link #watch(String, boolean, long, Duration)}, with the instances a filter expression
   * keeps ({@link #lookup(String, String)}); the index is the service's, so a change that the
   * filter drops still wakes the query.
   *
   * @param filter the expression; null or blank for none
   * @throws HivemindClientException when the call fails or the agent refuses the expression
   */
  public Indexed<List<ServiceEntry>> watch(
      String service, boolean passingOnly, String filter, long index, Duration wait) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(wait, "wait");
    StringBuilder path = new StringBuilder("/v1/health/service/").append(segment(service));
    path.append(passingOnly ? "?passing" : "?passing=false");
    if (filter != null && !filter.isBlank()) {
      path.append("&filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }
    if (index > 0) {
      path.append("&index=").append(index).append("&wait=").append(wait.toMillis()).append("ms");
    }
    // The agent may add up to a sixteenth to the wait (Consul's jitter).
    Duration timeout = index > 0 ? READ_TIMEOUT.plus(wait).plus(wait.dividedBy(16)) : READ_TIMEOUT;
    HttpResponse<byte[]> response = send(request(path.toString(), timeout).GET());
    List<ServiceEntry> entries =
        parse(response, "GET " + path, new TypeReference<List<ServiceEntry>>() {});
    return new Indexed<>(entries, consulIndex(response));
  }

  /** {@code path} with {@code stale} added when this client reads from the local replica. */
  private String consistency(String path) {
    return staleReads ? path + (path.indexOf('?') < 0 ? "?stale" : "&stale") : path;
  }

  private <T> Optional<T> kvRead(String query, TypeReference<T> type) {
    String path = consistency(query);
    HttpResponse<byte[]> response = kvExchange(path, READ_TIMEOUT);
    return isAbsent(response)
        ? Optional.empty()
        : Optional.of(parse(response, "GET " + path, type));
  }

  /** A KV read's answer: a success, or Consul's bare 404 for an absent key; any other throws. */
  private HttpResponse<byte[]> kvExchange(String path, Duration timeout) {
    HttpResponse<byte[]> response = exchange(request(path, timeout).GET());
    if (!isAbsent(response) && response.statusCode() / 100 != 2) {
      throw agentError(response);
    }
    return response;
  }

  private static boolean isAbsent(HttpResponse<byte[]> response) {
    return response.statusCode() == 404 && response.body().length == 0;
  }

  /**
   * A KV entry, blocking until its index passes {@code index} or {@code wait} runs out ({@code GET
   * /v1/kv/KEY?index=N&wait=W}): empty when the key is absent, with the answer's index.
   */
  Indexed<Optional<KvPair>> kvWatch(String key, long index, Duration wait) {
    String path = consistency(kvPath(key) + "?index=" + index + "&wait=" + wait.toMillis() + "ms");
    HttpResponse<byte[]> response =
        kvExchange(path, READ_TIMEOUT.plus(wait).plus(wait.dividedBy(16)));
    if (isAbsent(response)) {
      return new Indexed<>(Optional.empty(), consulIndex(response));
    }
    List<KvPair> pairs = parse(response, "GET " + path, KV_LIST);
    return new Indexed<>(
        pairs.isEmpty() ? Optional.empty() : Optional.of(pairs.get(0)), consulIndex(response));
  }

  /**
   * Starts a KV transaction ({@code PUT /v1/txn}): add its operations, then {@link KvTxn#commit}.
   *
   * @return an empty transaction
   */
  public KvTxn kvTxn() {
    return new KvTxn(this);
  }

  /**
   * A PUT of {@code body} whose answer is JSON of {@code type}, also with 409 (Consul's answer to a
   * transaction that failed); any other error status throws.
   */
  <T> T putAnswering409(String path, byte[] body, String what, TypeReference<T> type) {
    HttpResponse<byte[]> response =
        exchange(request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
      throw agentError(response);
    }
    return parse(response, what + " (PUT " + path + ")", type);
  }

  /** A PUT of {@code body} whose answer is JSON of {@code type}; an error status throws. */
  <T> T put(String path, byte[] body, String what, TypeReference<T> type) {
    return parse(
        send(request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(body))),
        what + " (PUT " + path + ")",
        type);
  }

  /** A control-plane read in this client's consistency mode. */
  <T> T controlRead(String path, TypeReference<T> type) {
    return read(consistency(path), type);
  }

  /** {@code value} as JSON in the API's names. */
  byte[] toJson(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName(), e);
    }
  }

  /** A KV write's answer: {@code true}, or {@code false} when a compare-and-set lost. */
  private boolean kvChange(String path, HttpRequest.Builder builder) {
    return parse(send(builder), "a write to " + path, new TypeReference<Boolean>() {});
  }

  private static long consulIndex(HttpResponse<byte[]> response) {
    return response.headers().firstValueAsLong("X-Consul-Index").orElse(0);
  }

  /** {@code /v1/kv/} and the key, each of its segments percent-encoded, its slashes kept. */
  static String kvPath(String key) {
    Objects.requireNonNull(key, "key");
    StringBuilder path = new StringBuilder("/v1/kv/");
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      path.append(i == 0 ? "" : "/").append(segment(segments[i]));
    }
    return path.toString();
  }

  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String query(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private <T> T read(String path, TypeReference<T> type) {
    return parse(send(request(path, READ_TIMEOUT).GET()), "GET " + path, type);
  }

  private <T> T parse(HttpResponse<byte[]> response, String what, TypeReference<T> type) {
    try {
      T value = json.readValue(response.body(), type);
      if (value == null) {
        throw new IOException("the answer is null");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new HivemindClientException(
          HivemindClientException.UNEXPECTED_RESPONSE,
          "the agent at " + agent + " answered " + what + " with JSON this client cannot read",
          response.statusCode(),
          e);
    }
  }

  private void change(String path) {
    send(request(path, CHANGE_TIMEOUT).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(agent + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", "hivemind-client/" + version());
    return token == null ? builder : builder.header("X-Consul-Token", token);
  }

  /** Sends, and turns every failure, transport or HTTP, into one exception with a sentence. */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
    HttpResponse<byte[]> response = exchange(builder);
    if (response.statusCode() / 100 != 2) {
      throw agentError(response);
    }
    return response;
  }

  /** Sends, and turns a transport failure into one exception with a sentence; any status passes. */
  private HttpResponse<byte[]> exchange(HttpRequest.Builder builder) {
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
