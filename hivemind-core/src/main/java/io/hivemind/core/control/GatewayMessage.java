package io.hivemind.core.control;

import java.util.List;
import java.util.Objects;

/**
 * One message of the control gateway protocol (docs/protocol/control.md, "Follow feed"), decoded
 * once at the edge by {@link WireGatewayCodec}. A plain agent follows the committed log and submits
 * commands through a control node's gateway, so it never speaks Raft.
 *
 * <p>Follower to gateway: {@link Follow} (or {@link MeshPeer} from another control node), {@link
 * Submit}, {@link ReadIndex}. Gateway to follower: {@link Heartbeat}, {@link Snapshot}, {@link
 * Entry}, {@link SubmitResult}, {@link ReadIndexResult}, {@link Failure}. Either way: {@link
 * Catalog}.
 */
public sealed interface GatewayMessage {

  /**
   * Once per connection: send every committed entry above {@code afterIndex}. {@code nodeId} is the
   * follower's node id ("" when it does not replicate a catalogue): the only owner whose catalogue
   * changes the gateway accepts on this connection. {@code environment} is the follower's
   * environment id ("" when not declared, as from a version before the field): a gateway refuses
   * any but its own.
   */
  record Follow(long afterIndex, String nodeId, String environment) implements GatewayMessage {
    public Follow {
      requireIndex("afterIndex", afterIndex);
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(environment, "environment");
    }

    public Follow(long afterIndex, String nodeId) {
      this(afterIndex, nodeId, "");
    }

    public Follow(long afterIndex) {
      this(afterIndex, "");
    }

    /** This message, declaring {@code id} as the follower's node id. */
    public Follow withNodeId(String id) {
      return new Follow(afterIndex, id, environment);
    }

    /** This message, declaring {@code id} as the follower's environment. */
    public Follow withEnvironment(String id) {
      return new Follow(afterIndex, nodeId, id);
    }
  }

  /**
   * Either way: one encoded catalogue message (catalog.proto), decoded by the catalogue's own
   * codec. The bytes are not copied: a relayed message is encoded once and shared by every link.
   */
  record Catalog(byte[] frameBytes) implements GatewayMessage {
    public Catalog {
      Objects.requireNonNull(frameBytes, "frameBytes");
    }
  }

  /**
   * Once per connection, instead of {@link Follow}: a control node opening a catalogue-only link to
   * another control node's gateway, relaying any owner's changes.
   */
  record MeshPeer(String nodeId, String environment) implements GatewayMessage {
    public MeshPeer {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(environment, "environment");
    }

    public MeshPeer(String nodeId) {
      this(nodeId, "");
    }

    /** This message, declaring {@code id} as the dialling node's environment. */
    public MeshPeer withEnvironment(String id) {
      return new MeshPeer(nodeId, id);
    }
  }

  /**
   * Proposes the command of {@code entryBytes}, an encoded {@link ControlEntry} (the leader stamps
   * its own time). Answered by a {@link SubmitResult} or a {@link Failure} with the same id.
   *
   * @param aclToken the ACL secret of the request the command was made for, "" for none: a control
   *     node with ACLs checks KV, ACL and event commands against it ({@link CommandAccess}). Never
   *     logged ({@link #toString} leaves it out).
   */
  record Submit(long requestId, byte[] entryBytes, String aclToken) implements GatewayMessage {

    /** Longest secret carried: Consul's are UUIDs, the initial management token 512 at most. */
    public static final int MAX_ACL_TOKEN_CHARS = 1024;

    public Submit {
      entryBytes = entryBytes.clone();
      Objects.requireNonNull(aclToken, "aclToken");
      if (aclToken.length() > MAX_ACL_TOKEN_CHARS) {
        throw new IllegalArgumentException(
            "an ACL token of " + aclToken.length() + " characters, over " + MAX_ACL_TOKEN_CHARS);
      }
    }

    /** A submit made for no request (the agent's own), or without ACLs. */
    public Submit(long requestId, byte[] entryBytes) {
      this(requestId, entryBytes, "");
    }

    @Override
    public byte[] entryBytes() {
      return entryBytes.clone();
    }

    @Override
    public String toString() {
      return "Submit[requestId="
          + requestId
          + ", "
          + entryBytes.length
          + " bytes"
          + (aclToken.isEmpty() ? "" : ", with a token")
          + "]";
    }
  }

  /** Asks for the index a linearizable read must wait for. */
  record ReadIndex(long requestId) implements GatewayMessage {}

  /** The whole replicated state at {@code index}: an encoded {@link ControlSnapshot}. */
  record Snapshot(long index, byte[] snapshotBytes) implements GatewayMessage {
    public Snapshot {
      requireIndex("index", index);
      snapshotBytes = snapshotBytes.clone();
    }

    @Override
    public byte[] snapshotBytes() {
      return snapshotBytes.clone();
    }
  }

  /**
   * The committed entry at {@code index}, byte for byte as the voters applied it. The bytes are not
   * copied: an entry is fanned out to many followers, and neither side writes to them.
   */
  record Entry(long index, byte[] entryBytes) implements GatewayMessage {
    public Entry {
      requireIndex("index", index);
      Objects.requireNonNull(entryBytes, "entryBytes");
    }
  }

  /**
   * The Raft group as the gateway's node sees it; {@code leaderAddress} is "" when no leader is
   * known, and the follower then reports degraded mode.
   */
  record Heartbeat(long commitIndex, String leaderAddress, long term, List<Peer> peers)
      implements GatewayMessage {
    public Heartbeat {
      requireIndex("commitIndex", commitIndex);
      Objects.requireNonNull(leaderAddress, "leaderAddress");
      peers = List.copyOf(peers);
    }

    public boolean leaderKnown() {
      return !leaderAddress.isEmpty();
    }
  }

  /** One Raft peer in a {@link Heartbeat}. */
  record Peer(String id, String address, boolean voter, boolean leader) {
    public Peer {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(address, "address");
    }
  }

  /** The answer to a {@link Submit}: an encoded {@link ApplyResult}. */
  record SubmitResult(long requestId, byte[] resultBytes) implements GatewayMessage {
    public SubmitResult {
      resultBytes = resultBytes.clone();
    }

    @Override
    public byte[] resultBytes() {
      return resultBytes.clone();
    }
  }

  /** The answer to a {@link ReadIndex}: every entry committed before the request is at or below. */
  record ReadIndexResult(long requestId, long readIndex) implements GatewayMessage {
    public ReadIndexResult {
      requireIndex("readIndex", readIndex);
    }
  }

  /** A request that failed; {@code message} is one sentence for a person. */
  record Failure(long requestId, GatewayError code, String message) implements GatewayMessage {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  private static void requireIndex(String name, long index) {
    if (index < 0) {
      throw new IllegalArgumentException(name + " must be 0 or more, got " + index);
    }
  }
}
