package io.hivemind.core.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.StateBackup;
import io.hivemind.core.wire.proto.StateBackupAck;
import io.hivemind.core.wire.proto.StateBackupGap;
import io.hivemind.core.wire.proto.StateBackupRefused;
import io.hivemind.core.wire.proto.StateForward;
import io.hivemind.core.wire.proto.StateForwardResult;
import io.hivemind.core.wire.proto.StateFrame;
import io.hivemind.core.wire.proto.StateSnapshotAck;
import io.hivemind.core.wire.proto.StateSnapshotChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * The state protocol's edge to the wire (state.proto, docs/protocol/state.md): the only class of
 * this package that sees protobuf. Decoding bounds the frame and the entry count before building
 * anything, and validates every field through the records' constructors, so a forged or corrupted
 * frame is refused whole with a {@link StateDecodeException} and nothing else.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireStateCodec {

  /** The version this code writes; a frame of another one is refused. */
  public static final int VERSION = 1;

  /** Largest frame a node accepts or sends: a snapshot chunk plus headroom. */
  public static final int MAX_FRAME_BYTES = 2 * StateLimits.MAX_VALUE_BYTES + (64 << 10);

  /** Most entries in one snapshot chunk: many tiny entries must not cost more than big ones. */
  public static final int MAX_CHUNK_ENTRIES = 1 << 16;

  private WireStateCodec() {}

  /** The message's bytes. */
  public static byte[] encode(StateMessage message) {
    StateFrame.Builder frame = StateFrame.newBuilder().setVersion(VERSION);
    if (message instanceof StateMessage.Forward m) {
      frame.setForward(
          StateForward.newBuilder()
              .setRequestId(m.requestId())
              .setOp(WireStateOps.encode(m.op()))
              .setTableVersion(m.tableVersion()));
    } else if (message instanceof StateMessage.ForwardResult m) {
      frame.setForwardResult(
          StateForwardResult.newBuilder()
              .setRequestId(m.requestId())
              .setResult(WireStateOps.encode(m.result())));
    } else if (message instanceof StateMessage.Backup m) {
      frame.setBackup(backup(m));
    } else if (message instanceof StateMessage.BackupAck m) {
      frame.setBackupAck(
          StateBackupAck.newBuilder().setPartition(m.partition()).setSequence(m.sequence()));
    } else if (message instanceof StateMessage.BackupGap m) {
      frame.setBackupGap(
          StateBackupGap.newBuilder().setPartition(m.partition()).setSequence(m.sequence()));
    } else if (message instanceof StateMessage.BackupRefused m) {
      frame.setBackupRefused(
          StateBackupRefused.newBuilder()
              .setPartition(m.partition())
              .setTableVersion(m.tableVersion()));
    } else if (message instanceof StateMessage.SnapshotChunk m) {
      frame.setSnapshotChunk(chunk(m));
    } else if (message instanceof StateMessage.SnapshotAck m) {
      frame.setSnapshotAck(
          StateSnapshotAck.newBuilder()
              .setPartition(m.partition())
              .setSequence(m.sequence())
              .setTableVersion(m.tableVersion()));
    } else {
      throw new IllegalArgumentException("unknown state message " + message);
    }
    return frame.build().toByteArray();
  }

  /**
   * The message in {@code bytes}.
   *
   * @throws StateDecodeException with one sentence when the bytes are not a valid message
   */
  public static StateMessage decode(byte[] bytes) {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new StateDecodeException(
          "state frame of " + bytes.length + " bytes is larger than " + MAX_FRAME_BYTES);
    }
    StateFrame frame;
    try {
      frame = StateFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StateDecodeException("state frame is not valid protobuf: " + e.getMessage(), e);
    }
    if (frame.getVersion() != VERSION) {
      throw new StateDecodeException(
          "state frame of version " + frame.getVersion() + ", expected " + VERSION);
    }
    try {
      return body(frame);
    } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
      // The records' constructors check every field; their sentence names the bad one.
      throw new StateDecodeException("invalid state message: " + e.getMessage(), e);
    }
  }

  private static StateMessage body(StateFrame frame) {
    return switch (frame.getBodyCase()) {
      case FORWARD ->
          new StateMessage.Forward(
              frame.getForward().getRequestId(),
              WireStateOps.decode(frame.getForward().getOp()),
              frame.getForward().getTableVersion());
      case FORWARD_RESULT ->
          new StateMessage.ForwardResult(
              frame.getForwardResult().getRequestId(),
              WireStateOps.decode(frame.getForwardResult().getResult()));
      case BACKUP -> backup(frame.getBackup());
      case BACKUP_ACK ->
          new StateMessage.BackupAck(
              partition(frame.getBackupAck().getPartition()), frame.getBackupAck().getSequence());
      case BACKUP_GAP ->
          new StateMessage.BackupGap(
              partition(frame.getBackupGap().getPartition()), frame.getBackupGap().getSequence());
      case BACKUP_REFUSED ->
          new StateMessage.BackupRefused(
              partition(frame.getBackupRefused().getPartition()),
              frame.getBackupRefused().getTableVersion());
      case SNAPSHOT_CHUNK -> chunk(frame.getSnapshotChunk());
      case SNAPSHOT_ACK ->
          new StateMessage.SnapshotAck(
              partition(frame.getSnapshotAck().getPartition()),
              frame.getSnapshotAck().getSequence(),
              frame.getSnapshotAck().getTableVersion());
      case BODY_NOT_SET -> throw new StateDecodeException("state frame carries no message");
    };
  }

  private static StateBackup.Builder backup(StateMessage.Backup m) {
    StateBackup.Builder b =
        StateBackup.newBuilder()
            .setPartition(m.partition())
            .setTableVersion(m.tableVersion())
            .setSequence(m.sequence())
            .setMap(m.map())
            .setKey(m.key())
            .setRemoved(m.removed())
            .setExpiresAtMillis(m.expiresAtMillis());
    if (!m.removed()) {
      b.setValue(ByteString.copyFrom(m.value()));
    }
    return b;
  }

  private static StateMessage.Backup backup(StateBackup b) {
    if (b.getRemoved() && !b.getValue().isEmpty()) {
      throw new StateDecodeException("a backup of a removal carries a value");
    }
    return new StateMessage.Backup(
        partition(b.getPartition()),
        b.getTableVersion(),
        b.getSequence(),
        b.getMap(),
        b.getKey(),
        b.getRemoved() ? null : b.getValue().toByteArray(),
        b.getExpiresAtMillis());
  }

  private static StateSnapshotChunk.Builder chunk(StateMessage.SnapshotChunk m) {
    StateSnapshotChunk.Builder c =
        StateSnapshotChunk.newBuilder()
            .setPartition(m.partition())
            .setTableVersion(m.tableVersion())
            .setSequence(m.sequence())
            .setIndex(m.index())
            .setLast(m.last());
    for (StateEntry e : m.entries()) {
      c.addEntries(WireStateOps.encode(e));
    }
    return c;
  }

  private static StateMessage.SnapshotChunk chunk(StateSnapshotChunk c) {
    if (c.getEntriesCount() > MAX_CHUNK_ENTRIES) {
      throw new StateDecodeException(
          "snapshot chunk of " + c.getEntriesCount() + " entries, more than " + MAX_CHUNK_ENTRIES);
    }
    List<StateEntry> entries = new ArrayList<>(c.getEntriesCount());
    for (int i = 0; i < c.getEntriesCount(); i++) {
      entries.add(WireStateOps.decode(c.getEntries(i)));
    }
    return new StateMessage.SnapshotChunk(
        partition(c.getPartition()),
        c.getTableVersion(),
        c.getSequence(),
        c.getIndex(),
        c.getLast(),
        entries);
  }

  /** A uint32 on the wire arrives as a Java int: above 2^31 it is negative and refused. */
  private static int partition(int wire) {
    if (wire < 0) {
      throw new StateDecodeException("partition out of range: " + Integer.toUnsignedString(wire));
    }
    return wire;
  }
}
