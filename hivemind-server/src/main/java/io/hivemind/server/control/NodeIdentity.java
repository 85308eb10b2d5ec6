package io.hivemind.server.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id this node was admitted with, kept in {@code <data dir>/node-id} so a restarted node is the
 * same member (its admission still stands) and a node the cluster removed rejoins as a new one
 * ({@link #renew}): the registry never admits an id twice, so a removed id cannot come back.
 *
 * <p>Thread-safe.
 */
public final class NodeIdentity {

  private static final String FILE = "node-id";
  private static final Pattern VALID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

  private final Path file;
  private volatile String id;

  private NodeIdentity(Path file, String id) {
    this.file = file;
    this.id = id;
  }

  /**
   * Reads the id from {@code dataDir}, or creates one. A file that does not hold an id (truncated
   * by a crash, edited by hand) is replaced with a new id: the node then rejoins as a new member,
   * which is always safe.
   */
  public static NodeIdentity load(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      if (Files.isRegularFile(file)) {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (VALID.matcher(text).matches()) {
          return new NodeIdentity(file, text);
        }
      }
      NodeIdentity identity = new NodeIdentity(file, "");
      identity.renew();
      return identity;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the node id in " + dataDir, e);
    }
  }

  /** An id kept in memory only (tests, and agents without a data directory). */
  public static NodeIdentity ephemeral() {
    return new NodeIdentity(null, UUID.randomUUID().toString());
  }

  public String id() {
    return id;
  }

  /** Draws a new id and persists it (write to a temporary file, then rename). */
  public synchronized String renew() {
    String next = UUID.randomUUID().toString();
    if (file != null) {
      Path temp = file.resolveSibling(FILE + ".tmp");
      try {
        Files.writeString(temp, next + "\n", StandardCharsets.US_ASCII);
        try {
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the node id to " + file, e);
      }
    }
    id = next;
    return next;
  }
}
