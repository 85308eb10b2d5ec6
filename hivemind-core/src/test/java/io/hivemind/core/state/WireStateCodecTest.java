package io.hivemind.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.state.StateResult.UnavailableReason;
import io.hivemind.core.wire.proto.StateBackup;
import io.hivemind.core.wire.proto.StateFrame;
import io.hivemind.core.wire.proto.StateSnapshotChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireStateCodecTest {

  private static final byte[] V = "value".getBytes(StandardCharsets.UTF_8);

  static List<StateMessage> samples() {
    List<StateMessage> all = new ArrayList<>();
    all.add(new StateMessage.Forward(7, new StateOp.Get("m", "k"), 3));
    all.add(new StateMessage.Forward(8, new StateOp.Put("m", "k", V, 1000), 0));
    all.add(new StateMessage.Forward(9, new StateOp.Delete("m.x", "ключ"), 4));
    all.add(new StateMessage.Forward(10, new StateOp.CompareAndSet("m", "k", 5, V, 0), 4));
    all.add(new StateMessage.ForwardResult(1, new StateResult.Found(V, 4, 99)));
    all.add(new StateMessage.ForwardResult(2, new StateResult.Absent()));
    all.add(new StateMessage.ForwardResult(3, new StateResult.Written(12)));
    all.add(new StateMessage.ForwardResult(4, new StateResult.Deleted(true)));
    all.add(new StateMessage.ForwardResult(5, new StateResult.Conflict(3)));
    all.add(new StateMessage.ForwardResult(6, new StateResult.Redirect("node-2", 9)));
    all.add(
        new StateMessage.ForwardResult(
            7, new StateResult.Unavailable(UnavailableReason.NO_LEASE, "no lease")));
    all.add(new StateMessage.Backup(3, 2, 17, "m", "k", V, 500));
    all.add(new StateMessage.Backup(3, 2, 18, "m", "k", null, 0));
    all.add(new StateMessage.BackupAck(3, 18));
    all.add(new StateMessage.BackupGap(3, 4));
    all.add(new StateMessage.BackupRefused(3, 9));
    all.add(
        new StateMessage.SnapshotChunk(
            3, 2, 18, 0, false, List.of(new StateEntry("m", "k", V, 17, 0))));
    all.add(new StateMessage.SnapshotChunk(3, 2, 18, 1, true, List.of()));
    all.add(new StateMessage.SnapshotAck(3, 18, 7));
    return all;
  }

  @Test
  void everyMessage_roundTrips() {
    for (StateMessage m : samples()) {
      byte[] bytes = WireStateCodec.encode(m);
      StateMessage back = WireStateCodec.decode(bytes);
      assertThat(back.getClass()).isEqualTo(m.getClass());
      assertThat(WireStateCodec.encode(back)).isEqualTo(bytes);
    }
  }

  @Test
  void backupOfRemoval_roundTripsAsRemoval() {
    StateMessage.Backup back =
        (StateMessage.Backup)
            WireStateCodec.decode(
                WireStateCodec.encode(new StateMessage.Backup(1, 1, 1, "m", "k", null, 0)));
    assertThat(back.removed()).isTrue();
    StateMessage.Backup empty =
        (StateMessage.Backup)
            WireStateCodec.decode(
                WireStateCodec.encode(new StateMessage.Backup(1, 1, 1, "m", "k", new byte[0], 0)));
    assertThat(empty.removed()).isFalse();
  }

  @Test
  void otherVersion_refused() {
    byte[] bytes = StateFrame.newBuilder().setVersion(2).build().toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(bytes))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void emptyFrame_refused() {
    byte[] bytes = StateFrame.newBuilder().setVersion(1).build().toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(bytes))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("no message");
  }

  @Test
  void oversizedFrame_refused_beforeParsing() {
    assertThatThrownBy(() -> WireStateCodec.decode(new byte[WireStateCodec.MAX_FRAME_BYTES + 1]))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void badMapName_refused_withTheRule() {
    byte[] bytes =
        StateFrame.newBuilder()
            .setVersion(1)
            .setBackup(
                StateBackup.newBuilder().setPartition(1).setSequence(1).setMap("a/b").setKey("k"))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(bytes))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("map may hold only");
  }

  @Test
  void removalWithValue_refused() {
    byte[] bytes =
        StateFrame.newBuilder()
            .setVersion(1)
            .setBackup(
                StateBackup.newBuilder()
                    .setPartition(1)
                    .setSequence(1)
                    .setMap("m")
                    .setKey("k")
                    .setRemoved(true)
                    .setValue(com.google.protobuf.ByteString.copyFrom(V)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(bytes))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("removal");
  }

  @Test
  void negativeNumbers_refused() {
    byte[] partition =
        StateFrame.newBuilder()
            .setVersion(1)
            .setBackupAck(io.hivemind.core.wire.proto.StateBackupAck.newBuilder().setPartition(-5))
            .build()
            .toByteArray();
    byte[] sequence =
        StateFrame.newBuilder()
            .setVersion(1)
            .setBackupAck(io.hivemind.core.wire.proto.StateBackupAck.newBuilder().setSequence(-1L))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(partition))
        .isInstanceOf(StateDecodeException.class);
    assertThatThrownBy(() -> WireStateCodec.decode(sequence))
        .isInstanceOf(StateDecodeException.class);
  }

  @Test
  void tooManyChunkEntries_refused() {
    StateSnapshotChunk.Builder chunk = StateSnapshotChunk.newBuilder().setLast(true);
    io.hivemind.core.wire.proto.StateEntry entry =
        io.hivemind.core.wire.proto.StateEntry.newBuilder().setMap("m").setKey("k").build();
    for (int i = 0; i <= WireStateCodec.MAX_CHUNK_ENTRIES; i++) {
      chunk.addEntries(entry);
    }
    byte[] bytes =
        StateFrame.newBuilder().setVersion(1).setSnapshotChunk(chunk).build().toByteArray();
    assertThatThrownBy(() -> WireStateCodec.decode(bytes))
        .isInstanceOf(StateDecodeException.class)
        .hasMessageContaining("entries");
  }

  @Test
  void fuzz_mutatedFrames_decodeOrRefuseTyped() {
    SplittableRandom random = new SplittableRandom(13);
    List<byte[]> frames = new ArrayList<>();
    for (StateMessage m : samples()) {
      frames.add(WireStateCodec.encode(m));
    }
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = frames.get(random.nextInt(frames.size())).clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(8) == 0) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      try {
        StateMessage m = WireStateCodec.decode(bytes);
        assertThat(WireStateCodec.decode(WireStateCodec.encode(m)).getClass())
            .isEqualTo(m.getClass());
      } catch (StateDecodeException expected) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }
}
