package io.hivemind.api;

/**
 * The fixed ports of an agent, so that neither clients nor services need configuration: each
 * environment owns a block of {@value #BLOCK_SIZE} ports, and each block holds two agent instances
 * per host (instance 0 and 1, so one can restart while the other serves).
 *
 * <table>
 *   <caption>Ports by environment and instance</caption>
 *   <tr><th>environment</th><th>instance</th><th>gossip (UDP + TCP)</th><th>HTTP</th>
 *       <th>DNS</th><th>control (Raft)</th><th>catalogue sessions</th>
 *       <th>control gateway</th><th>partitioned state</th><th>state clients</th></tr>
 *   <tr><td>production</td><td>0 / 1</td><td>7300 / 7310</td><td>7301 / 7311</td>
 *       <td>7302 / 7312</td><td>7303 / 7313</td><td>7304 / 7314</td>
 *       <td>7305 / 7315</td><td>7306 / 7316</td><td>7307 / 7317</td></tr>
 *   <tr><td>staging</td><td>0 / 1</td><td>7320 / 7330</td><td>7321 / 7331</td>
 *       <td>7322 / 7332</td><td>7323 / 7333</td><td>7324 / 7334</td>
 *       <td>7325 / 7335</td><td>7326 / 7336</td><td>7327 / 7337</td></tr>
 *   <tr><td>testing</td><td>0 / 1</td><td>7340 / 7350</td><td>7341 / 7351</td>
 *       <td>7342 / 7352</td><td>7343 / 7353</td><td>7344 / 7354</td>
 *       <td>7345 / 7355</td><td>7346 / 7356</td><td>7347 / 7357</td></tr>
 *   <tr><td>development</td><td>0 / 1</td><td>7360 / 7370</td><td>7361 / 7371</td>
 *       <td>7362 / 7372</td><td>7363 / 7373</td><td>7364 / 7374</td>
 *       <td>7365 / 7375</td><td>7366 / 7376</td><td>7367 / 7377</td></tr>
 * </table>
 *
 * <p>Offsets 8 and 9 of each instance are reserved for later services. The range 7300–7379 was
 * chosen because no widely deployed service registers it with IANA in a way that clashes on a
 * typical server (it sits below the ephemeral range of Linux, 32768–60999, so the kernel never
 * hands it out to outgoing connections).
 *
 * @param environment the environment the agent serves
 * @param instance 0 or 1
 */
public record WellKnownPorts(Environment environment, int instance) {

  /** The first port of the production block. */
  public static final int BASE_PORT = 7300;

  /** Ports per environment: two instances of {@value #INSTANCE_SIZE}. */
  public static final int BLOCK_SIZE = 20;

  /** Ports per agent instance. */
  public static final int INSTANCE_SIZE = 10;

  /** Agents one host can run per environment. */
  public static final int INSTANCES = 2;

  public WellKnownPorts {
    if (environment == null) {
      throw new IllegalArgumentException("environment is required");
    }
    if (instance < 0 || instance >= INSTANCES) {
      throw new IllegalArgumentException(
          "instance must be 0 or 1, got " + instance + " (two agents per host per environment)");
    }
  }

  /** The ports of instance 0 of {@code environment}. */
  public static WellKnownPorts of(Environment environment) {
    return new WellKnownPorts(environment, 0);
  }

  private int port(int offset) {
    return BASE_PORT + environment.ordinal() * BLOCK_SIZE + instance * INSTANCE_SIZE + offset;
  }

  /** Membership gossip: UDP for packets, TCP on the same number for streams. */
  public int gossip() {
    return port(0);
  }

  /** The HTTP API, dashboard and metrics. */
  public int http() {
    return port(1);
  }

  /** The DNS interface (UDP and TCP). */
  public int dns() {
    return port(2);
  }

  /** The control plane's Raft traffic. */
  public int control() {
    return port(3);
  }

  /** Catalogue client sessions. */
  public int catalog() {
    return port(4);
  }

  /**
   * A control node's gateway: plain agents follow the committed log and submit commands here, so
   * that only control nodes speak Raft (docs/protocol/control.md, "Follow feed").
   */
  public int controlGateway() {
    return port(5);
  }

  /**
   * Partitioned state, node to node (issue 13): forwarded requests, backups and migration streams
   * between agents, with mutual TLS when the cluster has TLS (docs/protocol/state.md). Each agent
   * also announces the address it listens on in its {@code state.address} gossip tag, which is
   * where the others dial.
   */
  public int state() {
    return port(6);
  }

  /**
   * Partitioned state, client to agent (issue 13): the binary protocol of {@code
   * state_client.proto} (docs/protocol/state-client.md), which a routing client uses instead of the
   * HTTP API's {@code /v1/state} for its lower cost per call. Each agent announces the address it
   * listens on in its {@code state.client} gossip tag.
   */
  public int stateClient() {
    return port(7);
  }
}
