package io.hivemind.core.control;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.GatewayEntry;
import io.hivemind.core.wire.proto.GatewayErrorCode;
import io.hivemind.core.wire.proto.GatewayFollow;
import io.hivemind.core.wire.proto.GatewayFrame;
import io.hivemind.core.wire.proto.GatewayHeartbeat;
import io.hivemind.core.wire.proto.GatewayMeshPeer;
import io.hivemind.core.wire.proto.GatewayPeer;
import io.hivemind.core.wire.proto.GatewayReadIndex;
import io.hivemind.core.wire.proto.GatewayResult;
import io.hivemind.core.wire.proto.GatewaySnapshot;
import io.hivemind.core.wire.proto.GatewaySubmit;
import java.util.ArrayList;
import java.util.List;

/**
 * The control gateway's bytes ({@code control_gateway.proto}): one {@link GatewayFrame} per
 * message. Decoding checks the version, every index and every length once, at the edge, and throws
 * {@link ControlDecodeException} naming what is wrong; the gateway and the follower only ever see
 * {@link GatewayMessage} records. The frame's own size is bounded by the transport before it gets
 * here.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireGatewayCodec {

  /** The version this code writes; a frame of a newer one is refused. */
  public static final int VERSION = 1;

  /** Raft groups have 3 or 5 voters (a few learners while one is replaced); 64 is generous. */
  static final int MAX_PEERS = 64;

  /** Host names are at most 253 bytes, plus a port and an id; anything longer is not an address. */
  static final int MAX_ADDRESS_CHARS = 300;

  /** An error's message is one sentence; longer ones are cut when encoded, refused when decoded. */
  static final int MAX_MESSAGE_CHARS = 1_000;

  private static final GatewayError[] ERRORS = GatewayError.values();

  private WireGatewayCodec() {}

  public static byte[] encode(GatewayMessage message) {
    return frame(message).setVersion(VERSION).build().toByteArray();
  }

  private static GatewayFrame.Builder frame(GatewayMessage message) {
    GatewayFrame.Builder frame = GatewayFrame.newBuilder();
    if (message instanceof GatewayMessage.Follow follow) {
      return frame.setFollow(
          GatewayFollow.newBuilder()
              .setAfterIndex(follow.afterIndex())
              .setNodeId(follow.nodeId())
              .setEnvironment(follow.environment()));
    } else if (message instanceof GatewayMessage.Catalog catalog) {
      return frame.setCatalog(ByteString.copyFrom(catalog.frameBytes()));
    } else if (message instanceof GatewayMessage.MeshPeer peer) {
      return frame.setMeshPeer(
          GatewayMeshPeer.newBuilder().setNodeId(peer.nodeId()).setEnvironment(peer.environment()));
    } else if (message instanceof GatewayMessage.Submit submit) {
      return frame.setSubmit(
          GatewaySubmit.newBuilder()
              .setRequestId(submit.requestId())
              .setEntry(ByteString.copyFrom(submit.entryBytes()))
              .setAclToken(submit.aclToken()));
    } else if (message instanceof GatewayMessage.ReadIndex read) {
      return frame.setReadIndex(GatewayReadIndex.newBuilder().setRequestId(read.requestId()));
    } else if (message instanceof GatewayMessage.Snapshot snapshot) {
      return frame.setSnapshot(
          GatewaySnapshot.newBuilder()
              .setIndex(snapshot.index())
              .setSnapshot(ByteString.copyFrom(snapshot.snapshotBytes())));
    } else if (message instanceof GatewayMessage.Entry entry) {
      return frame.setEntry(
          GatewayEntry.newBuilder()
              .setIndex(entry.index())
              .setEntry(ByteString.copyFrom(entry.entryBytes())));
    } else if (message instanceof GatewayMessage.Heartbeat heartbeat) {
      return frame.setHeartbeat(heartbeat(heartbeat));
    }
    return frame.setResult(result(message));
  }

  private static GatewayHeartbeat.Builder heartbeat(GatewayMessage.Heartbeat heartbeat) {
    GatewayHeartbeat.Builder wire =
        GatewayHeartbeat.newBuilder()
            .setCommitIndex(heartbeat.commitIndex())
            .setLeaderAddress(heartbeat.leaderAddress())
            .setTerm(heartbeat.term());
    for (GatewayMessage.Peer peer : heartbeat.peers()) {
      wire.addPeers(
          GatewayPeer.newBuilder()
              .setId(peer.id())
              .setAddress(peer.address())
              .setVoter(peer.voter())
              .setLeader(peer.leader()));
    }
    return wire;
  }

  private static GatewayResult.Builder result(GatewayMessage message) {
    if (message instanceof GatewayMessage.SubmitResult submitted) {
      return GatewayResult.newBuilder()
          .setRequestId(submitted.requestId())
          .setApplyResult(ByteString.copyFrom(submitted.resultBytes()));
    } else if (message instanceof GatewayMessage.ReadIndexResult read) {
      return GatewayResult.newBuilder()
          .setRequestId(read.requestId())
          .setReadIndex(read.readIndex());
    }
    GatewayMessage.Failure failure = (GatewayMessage.Failure) message;
    String text = failure.message();
    return GatewayResult.newBuilder()
        .setRequestId(failure.requestId())
        .setError(
            io.hivemind.core.wire.proto.GatewayError.newBuilder()
                .setCodeValue(failure.code().ordinal() + 1)
                .setMessage(
                    text.length() > MAX_MESSAGE_CHARS
                        ? text.substring(0, MAX_MESSAGE_CHARS)
                        : text));
  }

  /**
   * One frame's bytes as a record.
   *
   * @throws ControlDecodeException for bytes that are not a frame, a newer version, a frame without
   *     a body, or a field that breaks its rule
   */
  public static GatewayMessage decode(byte[] bytes) throws ControlDecodeException {
    GatewayFrame frame;
    try {
      frame = GatewayFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ControlDecodeException("not a gateway frame: " + e.getMessage(), e);
    }
    if (frame.getVersion() != VERSION) {
      throw new ControlDecodeException(
          "gateway protocol version "
              + Integer.toUnsignedString(frame.getVersion())
              + " is not supported (this node speaks "
              + VERSION
              + ")");
    }
    return body(frame);
  }

  // Switched on field numbers, not on the BodyCase enum: javac compiles an enum switch into a
  // synthetic class whose name does not start with "Wire" (see WireDecoder).
  private static GatewayMessage body(GatewayFrame frame) throws ControlDecodeException {
    return switch (frame.getBodyCase().getNumber()) {
      case GatewayFrame.FOLLOW_FIELD_NUMBER ->
          new GatewayMessage.Follow(
              index("after index", frame.getFollow().getAfterIndex()),
              text("node id", frame.getFollow().getNodeId()),
              text("environment", frame.getFollow().getEnvironment()));
      case GatewayFrame.CATALOG_FIELD_NUMBER ->
          new GatewayMessage.Catalog(frame.getCatalog().toByteArray());
      case GatewayFrame.MESH_PEER_FIELD_NUMBER ->
          new GatewayMessage.MeshPeer(
              text("mesh peer id", frame.getMeshPeer().getNodeId()),
              text("environment", frame.getMeshPeer().getEnvironment()));
      case GatewayFrame.SUBMIT_FIELD_NUMBER ->
          new GatewayMessage.Submit(
              frame.getSubmit().getRequestId(),
              frame.getSubmit().getEntry().toByteArray(),
              aclToken(frame.getSubmit().getAclToken()));
      case GatewayFrame.READ_INDEX_FIELD_NUMBER ->
          new GatewayMessage.ReadIndex(frame.getReadIndex().getRequestId());
      case GatewayFrame.SNAPSHOT_FIELD_NUMBER ->
          new GatewayMessage.Snapshot(
              index("snapshot index", frame.getSnapshot().getIndex()),
              frame.getSnapshot().getSnapshot().toByteArray());
      case GatewayFrame.ENTRY_FIELD_NUMBER -> entry(frame.getEntry());
      case GatewayFrame.HEARTBEAT_FIELD_NUMBER -> heartbeat(frame.getHeartbeat());
      case GatewayFrame.RESULT_FIELD_NUMBER -> result(frame.getResult());
      default -> throw new ControlDecodeException("gateway frame without a body");
    };
  }

  private static GatewayMessage.Entry entry(GatewayEntry entry) throws ControlDecodeException {
    long index = index("entry index", entry.getIndex());
    if (index == 0) {
      throw new ControlDecodeException("entry index must be 1 or more (the log starts at 1)");
    }
    return new GatewayMessage.Entry(index, entry.getEntry().toByteArray());
  }

  private static GatewayMessage.Heartbeat heartbeat(GatewayHeartbeat wire)
      throws ControlDecodeException {
    if (wire.getPeersCount() > MAX_PEERS) {
      throw new ControlDecodeException(
          "heartbeat lists " + wire.getPeersCount() + " peers, more than " + MAX_PEERS);
    }
    List<GatewayMessage.Peer> peers = new ArrayList<>(wire.getPeersCount());
    for (GatewayPeer peer : wire.getPeersList()) {
      peers.add(
          new GatewayMessage.Peer(
              text("peer id", peer.getId()),
              text("peer address", peer.getAddress()),
              peer.getVoter(),
              peer.getLeader()));
    }
    return new GatewayMessage.Heartbeat(
        index("commit index", wire.getCommitIndex()),
        text("leader address", wire.getLeaderAddress()),
        index("term", wire.getTerm()),
        peers);
  }

  private static GatewayMessage result(GatewayResult result) throws ControlDecodeException {
    long id = result.getRequestId();
    return switch (result.getOutcomeCase().getNumber()) {
      case GatewayResult.APPLY_RESULT_FIELD_NUMBER ->
          new GatewayMessage.SubmitResult(id, result.getApplyResult().toByteArray());
      case GatewayResult.READ_INDEX_FIELD_NUMBER ->
          new GatewayMessage.ReadIndexResult(id, index("read index", result.getReadIndex()));
      case GatewayResult.ERROR_FIELD_NUMBER -> failure(id, result.getError());
      default -> throw new ControlDecodeException("result " + id + " has no outcome");
    };
  }

  private static GatewayMessage.Failure failure(
      long id, io.hivemind.core.wire.proto.GatewayError error) throws ControlDecodeException {
    int code = error.getCodeValue();
    if (code < 1 || code > ERRORS.length) {
      throw new ControlDecodeException("result " + id + " has an unknown error code " + code);
    }
    String message = error.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new ControlDecodeException(
          "result " + id + " has an error message of " + message.length() + " characters");
    }
    return new GatewayMessage.Failure(id, ERRORS[code - 1], message);
  }

  /** uint64 on the wire: a value above Long.MAX_VALUE arrives negative and is refused. */
  private static long index(String what, long value) throws ControlDecodeException {
    if (value < 0) {
      throw new ControlDecodeException(what + " " + Long.toUnsignedString(value) + " is too large");
    }
    return value;
  }

  private static String text(String what, String value) throws ControlDecodeException {
    if (value.length() > MAX_ADDRESS_CHARS) {
      throw new ControlDecodeException(
          what + " has " + value.length() + " characters, more than " + MAX_ADDRESS_CHARS);
    }
    return value;
  }

  private static String aclToken(String value) throws ControlDecodeException {
    if (value.length() > GatewayMessage.Submit.MAX_ACL_TOKEN_CHARS) {
      throw new ControlDecodeException(
          "the ACL token has "
              + value.length()
              + " characters, more than "
              + GatewayMessage.Submit.MAX_ACL_TOKEN_CHARS);
    }
    return value;
  }

  /** The wire's error code of {@code error}, for tests that build frames by hand. */
  static GatewayErrorCode code(GatewayError error) {
    return GatewayErrorCode.forNumber(error.ordinal() + 1);
  }
}
