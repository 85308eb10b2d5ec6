package io.hivemind.server.catalog;

import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDecodeException;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.ChunkAssembler;
import io.hivemind.core.catalog.DigestRepair;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.OwnerStateChunk;
import io.hivemind.core.catalog.OwnerVersion;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.server.logging.RateLimitedLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue's fan-out relay on one node (docs/protocol/catalogue.md, ADR 0004): applies what
 * its links bring to the local replica and passes on what changed it.
 *
 * <ul>
 *   <li><b>Flood with dedupe.</b> A delta or state is passed to every other link only when it was
 *       {@link ApplyOutcome#APPLIED} here; a node that already held it stops it, so each change
 *       crosses each link at most about once and the flood ends.
 *   <li><b>Repair.</b> The opener of a link sends its digest and asks for the peer's; each side
 *       answers with the owners' states the other lacks. A {@link ApplyOutcome#GAP} sends the
 *       sender our digest (one outstanding request per owner and link), and a periodic {@link
 *       #digestAll} heals the rest. A digest answer skips an owner the peer was behind on at its
 *       previous digest too and has moved on since: what it lacks is in flight on an ordered link,
 *       and under a steady write load a digest is always a little behind, so answering with the
 *       owner's whole state every round re-sent tens of thousands of instances to every replica
 *       every 10 s (etcd-vs-registrations, 2026-12-02). A peer that stood still gets the state.
 *   <li><b>Authentication.</b> On a follower's link only the follower's own (declared) owner is
 *       accepted ({@link LinkScope}); anything else is refused, logged (rate-limited) and counted.
 *       Owners the control plane has not admitted are refused by the replica itself.
 *   <li><b>Bounds.</b> Sent messages hold at most {@link WireCatalogCodec#MAX_DELTAS} deltas or
 *       {@link WireCatalogCodec#MAX_STATES} states and at most {@link #chunkBytes}; larger batches
 *       are split. An owner's state larger than that travels as consecutive chunks, and so does a
 *       delta over the frame limit (replaced by its owner's state as held, which covers it): no
 *       owner is too large to replicate. Received chunks are staged per link ({@link
 *       ChunkAssembler}, bounded) and applied as one state when the last one arrived. A frame that
 *       would still be over the limit is not sent, but logged with its owner and counted.
 * </ul>
 *
 * <p>Owning thread: the replica's ({@link ReplicaHost#executor()}); no method may be called from
 * elsewhere. No sockets, no clock reads (the log's clock is passed in), so tests drive it with fake
 * links.
 */
final class CatalogRelay {

  private static final Logger logger = LoggerFactory.getLogger(CatalogRelay.class);

  private final ReplicaHost host;
  private final Runnable replicaChanged;
  private final RelayStats stats;
  private final int maxFrameBytes;
  private final RateLimitedLog log = new RateLimitedLog(logger);
  private final LongSupplier nanoTime;
  // Each open link with the owners whose state we asked it for after a gap (cleared when a state of
  // the owner arrives, and by each periodic digest, which asks for everything anyway).
  private final Map<CatalogLink, LinkState> links = new LinkedHashMap<>();
  // Owners whose changes the replica refused as not admitted: once it admits one, every link is
  // asked for what we lack at once rather than at the next periodic round.
  private final Set<String> refusedOwners = new HashSet<>();

  /**
   * Refused owners remembered at most; a flood of made-up owners costs a periodic round, not
   * memory.
   */
  static final int MAX_REFUSED_OWNERS = 10_000;

  /**
   * The size chunks and batches aim at: an eighth of the 2 MiB frame limit, so a large state never
   * holds a gateway connection (which also carries the control feed) for long, and one chunk is
   * encoded and decoded in well under a millisecond. Smaller when the frame limit is.
   */
  static final int CHUNK_BYTES = 256 << 10;

  /**
   * Chunks staged per link at most, in encoded bytes: the largest frame a node ever decodes, so a
   * chunked state may be as large as the largest unchunked one could (~50,000 instances of ~300
   * bytes), and a hostile peer holds no more of the heap per link.
   */
  static final long MAX_STAGED_BYTES_PER_LINK = WireCatalogCodec.MAX_FRAME_BYTES;

  /**
   * Per link: the owners asked for after a gap, the chunks of states staged from it, and the
   * digest-repair rule's memory of what the peer was behind on at its previous digest.
   */
  private static final class LinkState {
    final Set<String> asked = new HashSet<>();
    final ChunkAssembler chunks = new ChunkAssembler(MAX_STAGED_BYTES_PER_LINK);
    final DigestRepair repair = new DigestRepair();
  }

  private final int chunkBytes;

  /**
   * @param replicaChanged called after frames changed the replica: publishes a snapshot (the driver
   *     coalesces calls within one turn of the replica's thread)
   */
  CatalogRelay(
      ReplicaHost host,
      Runnable replicaChanged,
      RelayStats stats,
      int maxFrameBytes,
      LongSupplier nanoTime) {
    this.host = host;
    this.replicaChanged = replicaChanged;
    this.stats = stats;
    this.maxFrameBytes = maxFrameBytes;
    this.chunkBytes = Math.min(maxFrameBytes, CHUNK_BYTES);
    this.nanoTime = nanoTime;
  }

  /** A link opened: its opener starts the digest exchange that fills both sides. */
  void linkOpened(CatalogLink link) {
    if (links.putIfAbsent(link, new LinkState()) == null && link.dialed()) {
      sendDigest(link, true);
    }
  }

  void linkClosed(CatalogLink link) {
    links.remove(link);
  }

  int links() {
    return links.size();
  }

  /** This node's own delta, already applied locally: to every link. */
  void ownDelta(CatalogDelta delta) {
    forwardDeltas(List.of(delta), null);
  }

  /**
   * The control plane's registry changed: if it admitted an owner whose changes were refused, every
   * link is asked for what we lack now.
   */
  void ownersChanged() {
    Set<String> admitted = host.replica().admittedOwners();
    if (refusedOwners.removeIf(admitted::contains)) {
      digestAll();
    }
  }

  /** The periodic repair: every link gets our digest and answers with what we lack. */
  void digestAll() {
    for (Map.Entry<CatalogLink, LinkState> link : links.entrySet()) {
      link.getValue().asked.clear();
      sendDigest(link.getKey(), false);
    }
  }

  /** One frame from {@code from}: decoded, applied, passed on, answered. */
  void received(CatalogLink from, byte[] frame) {
    if (!links.containsKey(from)) {
      return; // closed while the frame was queued
    }
    stats.framesReceived.increment();
    stats.bytesReceived.add(frame.length);
    CatalogMessage message;
    try {
      message = WireCatalogCodec.decode(frame);
    } catch (CatalogDecodeException e) {
      stats.malformed.increment();
      warn("malformed", "dropped a catalogue frame from {}: {}", from.peerId(), e.getMessage());
      return;
    }
    if (message instanceof CatalogMessage.Deltas deltas) {
      onDeltas(from, deltas.deltas());
    } else if (message instanceof CatalogMessage.States states) {
      onStates(from, states.states());
    } else if (message instanceof CatalogMessage.StateChunk chunk) {
      onChunk(from, chunk.chunk(), frame.length);
    } else {
      onDigest(from, (CatalogMessage.Digest) message);
    }
  }

  private void onDeltas(CatalogLink from, List<CatalogDelta> deltas) {
    CatalogReplica replica = host.replica();
    List<CatalogDelta> applied = new ArrayList<>();
    boolean askForStates = false;
    for (CatalogDelta delta : deltas) {
      if (!accepted(from, delta.owner())) {
        continue;
      }
      ApplyOutcome outcome = replica.apply(delta);
      counted(outcome, delta.owner());
      if (outcome == ApplyOutcome.APPLIED) {
        applied.add(delta);
      } else if (outcome == ApplyOutcome.GAP) {
        askForStates |= links.get(from).asked.add(delta.owner());
      }
    }
    if (!applied.isEmpty()) {
      replicaChanged.run();
      forwardDeltas(applied, from);
    }
    if (askForStates) {
      sendDigest(from, false); // its answer holds every owner we lack, the gapped ones among them
    }
  }

  private void onStates(CatalogLink from, List<OwnerState> states) {
    CatalogReplica replica = host.replica();
    List<OwnerState> applied = new ArrayList<>();
    for (OwnerState state : states) {
      if (!accepted(from, state.owner())) {
        continue;
      }
      links.get(from).asked.remove(state.owner());
      ApplyOutcome outcome = replica.apply(state);
      counted(outcome, state.owner());
      if (outcome == ApplyOutcome.APPLIED) {
        applied.add(state);
      }
    }
    if (!applied.isEmpty()) {
      replicaChanged.run();
      fanOut(applied, from, OwnerState::owner, this::stateFrames);
    }
  }

  /** One chunk of an owner's state: staged, and applied as a state once it completed one. */
  private void onChunk(CatalogLink from, OwnerStateChunk chunk, int frameBytes) {
    if (!accepted(from, chunk.owner())) {
      return;
    }
    stats.chunksReceived.increment();
    ChunkAssembler.Result result =
        links.get(from).chunks.offer(chunk, frameBytes, host.replica().version(chunk.owner()));
    switch (result.outcome()) {
      case COMPLETE -> onStates(from, List.of(result.state()));
      case IGNORED -> stats.chunksIgnored.increment();
      case REFUSED -> {
        stats.chunksRefused.increment();
        warn(
            "chunk",
            "dropped the staged state of owner {} from {}: over {} bytes staged, or inconsistent",
            chunk.owner(),
            from.peerId(),
            MAX_STAGED_BYTES_PER_LINK);
      }
      case STAGED -> {}
    }
  }

  private void onDigest(CatalogLink from, CatalogMessage.Digest digest) {
    CatalogReplica replica = host.replica();
    String self = host.ownerId();
    DigestRepair.Answer answer =
        links
            .get(from)
            .repair
            .answer(replica.digest(), digest.versions(), owner -> from.scope().sends(owner, self));
    stats.repairsDeferred.add(answer.deferred());
    List<OwnerState> newer = new ArrayList<>(answer.owners().size());
    for (String owner : answer.owners()) {
      OwnerState state = replica.state(owner);
      if (state != null) {
        newer.add(state);
      }
    }
    for (byte[] frame : stateFrames(filter(newer, from, OwnerState::owner))) {
      send(from, frame);
    }
    if (digest.answerWithOwn()) {
      sendDigest(from, false);
    }
  }

  private void counted(ApplyOutcome outcome, String owner) {
    stats.count(outcome);
    if (outcome == ApplyOutcome.UNKNOWN_OWNER && refusedOwners.size() < MAX_REFUSED_OWNERS) {
      refusedOwners.add(owner);
    }
  }

  private boolean accepted(CatalogLink from, String owner) {
    if (from.scope().accepts(owner, from.peerId())) {
      return true;
    }
    stats.forged.increment();
    warn(
        "forged",
        "refused a catalogue change of owner {} from follower {}: a follower may change only its own",
        owner,
        from.peerId());
    return false;
  }

  private void forwardDeltas(List<CatalogDelta> deltas, CatalogLink from) {
    fanOut(deltas, from, CatalogDelta::owner, this::deltaFrames);
  }

  /**
   * {@code items} as deltas messages. A single delta over the frame limit (an owner's whole life
   * drained at once, as when it is re-admitted under a new id) goes as its owner's state as held:
   * this replica applied the delta, so that state is at its version or newer and replaces it.
   */
  private List<byte[]> deltaFrames(List<CatalogDelta> deltas) {
    return frames(
        deltas,
        WireCatalogCodec.MAX_DELTAS,
        CatalogMessage.Deltas::new,
        (delta, frame) ->
            frame.length <= maxFrameBytes
                ? List.of(frame)
                : chunked(host.replica().state(delta.owner())));
  }

  private List<byte[]> stateFrames(List<OwnerState> states) {
    return frames(
        states,
        WireCatalogCodec.MAX_STATES,
        CatalogMessage.States::new,
        (state, frame) -> chunked(state));
  }

  /** An owner's state in chunks; any chunk still over the frame limit is counted, not sent. */
  private List<byte[]> chunked(OwnerState state) {
    if (state == null) {
      return List.of(); // the owner was removed since: nothing of it to send
    }
    List<byte[]> frames = WireCatalogCodec.encodeChunks(state, chunkBytes);
    for (byte[] frame : frames) {
      if (frame.length > maxFrameBytes) {
        // Only one instance at every field's bound could be; the state cannot complete without
        // it, so none of its chunks is worth sending.
        oversized("state chunk of owner " + state.owner(), frame.length);
        return List.of();
      }
    }
    return frames;
  }

  /**
   * {@code items} to every link but {@code from}, each link getting the owners it may carry. The
   * usual case, every link taking everything, encodes once for all of them.
   */
  private <T> void fanOut(
      List<T> items,
      CatalogLink from,
      Function<T, String> owner,
      Function<List<T>, List<byte[]>> encode) {
    List<byte[]> whole = null;
    for (CatalogLink link : links.keySet()) {
      if (link == from) {
        continue;
      }
      List<T> kept = filter(items, link, owner);
      List<byte[]> frames;
      if (kept.size() == items.size()) {
        whole = whole == null ? encode.apply(items) : whole;
        frames = whole;
      } else {
        frames = encode.apply(kept);
      }
      for (byte[] frame : frames) {
        send(link, frame);
      }
    }
  }

  private <T> List<T> filter(List<T> items, CatalogLink link, Function<T, String> owner) {
    String self = host.ownerId();
    List<T> kept = new ArrayList<>(items.size());
    for (T item : items) {
      if (link.scope().sends(owner.apply(item), self)) {
        kept.add(item);
      }
    }
    return kept;
  }

  private void sendDigest(CatalogLink link, boolean answerWithOwn) {
    Map<String, OwnerVersion> versions = host.replica().digest();
    byte[] frame = WireCatalogCodec.encode(new CatalogMessage.Digest(versions, answerWithOwn));
    if (frame.length > maxFrameBytes) {
      // ~30 bytes an owner: only some 70,000 agents' owners would fill 2 MiB.
      oversized("digest of " + versions.size() + " owners", frame.length);
      return;
    }
    send(link, frame);
  }

  /**
   * {@code items} in messages of at most {@code maxCount} items and {@link #chunkBytes}; a single
   * item over that is left to {@code alone} (given the item and its frame).
   */
  private <T> List<byte[]> frames(
      List<T> items,
      int maxCount,
      Function<List<T>, CatalogMessage> wrap,
      BiFunction<T, byte[], List<byte[]>> alone) {
    List<byte[]> frames = new ArrayList<>();
    for (int from = 0; from < items.size(); from += maxCount) {
      split(items.subList(from, Math.min(items.size(), from + maxCount)), wrap, alone, frames);
    }
    return frames;
  }

  private <T> void split(
      List<T> items,
      Function<List<T>, CatalogMessage> wrap,
      BiFunction<T, byte[], List<byte[]>> alone,
      List<byte[]> frames) {
    byte[] frame = WireCatalogCodec.encode(wrap.apply(items));
    if (frame.length <= chunkBytes) {
      frames.add(frame);
    } else if (items.size() > 1) {
      int half = items.size() / 2;
      split(items.subList(0, half), wrap, alone, frames);
      split(items.subList(half, items.size()), wrap, alone, frames);
    } else {
      frames.addAll(alone.apply(items.get(0), frame));
    }
  }

  private void oversized(String what, int bytes) {
    stats.oversized.increment();
    warn(
        "oversized",
        "a catalogue {} is {} bytes, over the frame limit of {}: not sent",
        what,
        bytes,
        maxFrameBytes);
  }

  private void send(CatalogLink link, byte[] frame) {
    stats.sent(frame.length);
    link.send(frame);
  }

  private void warn(String key, String format, Object... args) {
    log.warn(nanoTime.getAsLong(), key, format, args);
  }
}
