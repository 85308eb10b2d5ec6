package io.hivemind.server.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link ControlGatewayServer}: followers served and why connections were closed.
 * Written by the gateway's loops and the applying thread, read by any thread.
 */
public final class GatewayServerStats {

  final LongAdder accepted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder acceptErrors = new LongAdder();
  final LongAdder oversized = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder unexpected = new LongAdder();
  final LongAdder slowCutOff = new LongAdder();
  final LongAdder tlsFailures = new LongAdder();
  final LongAdder entriesSent = new LongAdder();
  final LongAdder snapshotsSent = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder catalogDropped = new LongAdder();
  final LongAdder wrongEnvironment = new LongAdder();
  final LongAdder leaderOnlyRefused = new LongAdder();
  final LongAdder identityRefused = new LongAdder();
  final LongAdder aclRefused = new LongAdder();

  /**
   * Submits refused because the token of the request they were made for may not make them, under
   * this node's ACLs ({@code CommandAccess}): a KV write, an ACL token, an event.
   */
  public long aclRefused() {
    return aclRefused.sum();
  }

  final LongAdder catalogUnconfirmed = new LongAdder();

  /**
   * Over mutual TLS, what was refused because the connection's certificate names another node than
   * the one it is about: submits about other members ({@code CertifiedSubmitter}), and Follows,
   * mesh links and catalogue frames declaring another admitted node's id.
   */
  public long identityRefused() {
    return identityRefused.sum();
  }

  /**
   * Over mutual TLS, catalogue frames dropped because the id the follower declared is not admitted
   * yet, so its certificate cannot be checked against it; the periodic digest brings them once it
   * is.
   */
  public long catalogUnconfirmed() {
    return catalogUnconfirmed.sum();
  }

  /**
   * Submits refused because only the leader proposes such a command (a bootstrap, a tick, a
   * partition table, a batch): a broken or hostile follower ({@code FollowerSubmits}).
   */
  public long leaderOnlyRefused() {
    return leaderOnlyRefused.sum();
  }

  /**
   * Connections refused at their handshake for declaring another environment than the gateway's, or
   * none (a follower of a version before the field).
   */
  public long wrongEnvironment() {
    return wrongEnvironment.sum();
  }

  /**
   * Catalogue frames dropped because their connection has no catalogue link (a follower that did
   * not declare its id, or a gateway whose node replicates no catalogue).
   */
  public long catalogDropped() {
    return catalogDropped.sum();
  }

  /** Connections accepted. */
  public long accepted() {
    return accepted.sum();
  }

  /** Connections closed at once because {@code maxConnections} were open. */
  public long rejected() {
    return rejected.sum();
  }

  /** Failed accepts (e.g. out of file descriptors). */
  public long acceptErrors() {
    return acceptErrors.sum();
  }

  /** Connections closed for a frame over the size limit. */
  public long oversized() {
    return oversized.sum();
  }

  /** Connections closed for a frame that does not decode. */
  public long malformed() {
    return malformed.sum();
  }

  /**
   * Connections closed for a message a follower must not send (a second Follow, a feed message).
   */
  public long unexpected() {
    return unexpected.sum();
  }

  /** Followers cut off because they did not read their feed (they reconnect and catch up). */
  public long slowCutOff() {
    return slowCutOff.sum();
  }

  /** Connections whose TLS handshake failed (an untrusted certificate, not TLS at all). */
  public long tlsFailures() {
    return tlsFailures.sum();
  }

  /** Entry frames written, summed over followers. */
  public long entriesSent() {
    return entriesSent.sum();
  }

  /** Snapshot frames written, summed over followers. */
  public long snapshotsSent() {
    return snapshotsSent.sum();
  }

  /** Submits and reads received. */
  public long requests() {
    return requests.sum();
  }

  /** Connections closed for bad input, whatever the kind. */
  public long closedForBadInput() {
    return oversized() + malformed() + unexpected();
  }
}
