package io.hivemind.control;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Writes and reads the state machine's snapshot files in Ratis's layout ({@code
 * snapshot.<term>_<index>} plus its {@code .md5} in the storage's state-machine directory), so that
 * Ratis can purge the log behind them and ship them to a follower that fell behind.
 *
 * <p>A snapshot is written to a temporary name, forced to disk and renamed atomically; its MD5 file
 * is written last, and Ratis only trusts a snapshot with one, so a crash mid-write leaves nothing a
 * restart would load.
 */
final class SnapshotFiles {

  private SnapshotFiles() {}

  static SingleFileSnapshotInfo write(SimpleStateMachineStorage storage, TermIndex at, byte[] bytes)
      throws IOException {
    File target = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    Files.write(
        tmp,
        bytes,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    SingleFileSnapshotInfo info =
        new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), at);
    storage.updateLatestSnapshot(info);
    return info;
  }

  /** The snapshot's bytes after checking its MD5. */
  static byte[] read(SingleFileSnapshotInfo snapshot) throws IOException {
    Path path = snapshot.getFile().getPath();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(path.toFile(), md5);
    }
    return Files.readAllBytes(path);
  }
}
