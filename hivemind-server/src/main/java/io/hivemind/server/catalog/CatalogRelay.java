package io.hivemind.server.catalog;

import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDecodeException;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.server.logging.RateLimitedLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *       #digestAll} heals the rest.
 *   <li><b>Authentication.</b> On a follower's link only the follower's own (declared) owner is
 *       accepted ({@link LinkScope}); anything else is refused, logged (rate-limited) and counted.
 *       Owners the control plane has not admitted are refused by the replica itself.
 *   <li><b>Bounds.</b> Sent messages hold at most {@link WireCatalogCodec#MAX_DELTAS} deltas or
 *       {@link WireCatalogCodec#MAX_STATES} states and at most the configured frame size; larger
 *       batches are split.
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
  private final Map<CatalogLink, Set<String>> links = new LinkedHashMap<>();
  // Owners whose changes the replica refused as not admitted: once it admits one, every link is
  // asked for what we lack at once rather than at the next periodic round.
  private final Set<String> refusedOwners = new HashSet<>();

  /**
   * Refused owners remembered at most; a flood of made-up owners costs a periodic round, not
   * memory.
   */
  static final int MAX_REFUSED_OWNERS = 10_000;

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
    this.nanoTime = nanoTime;
  }

  /** A link opened: its opener starts the digest exchange that fills both sides. */
  void linkOpened(CatalogLink link) {
    if (links.putIfAbsent(link, new HashSet<>()) == null && link.dialed()) {
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
    for (Map.Entry<CatalogLink, Set<String>> link : links.entrySet()) {
      link.getValue().clear();
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
        askForStates |= links.get(from).add(delta.owner());
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
      links.get(from).remove(state.owner());
      ApplyOutcome outcome = replica.apply(state);
      counted(outcome, state.owner());
      if (outcome == ApplyOutcome.APPLIED) {
        applied.add(state);
      }
    }
    if (!applied.isEmpty()) {
      replicaChanged.run();
      fanOut(
          applied,
          from,
          OwnerState::owner,
          WireCatalogCodec.MAX_STATES,
          CatalogMessage.States::new);
    }
  }

  private void onDigest(CatalogLink from, CatalogMessage.Digest digest) {
    List<OwnerState> newer = host.replica().newerThan(digest.versions());
    for (byte[] frame :
        frames(
            filter(newer, from, OwnerState::owner),
            WireCatalogCodec.MAX_STATES,
            CatalogMessage.States::new)) {
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
    fanOut(
        deltas, from, CatalogDelta::owner, WireCatalogCodec.MAX_DELTAS, CatalogMessage.Deltas::new);
  }

  /**
   * {@code items} to every link but {@code from}, each link getting the owners it may carry. The
   * usual case, every link taking everything, encodes once for all of them.
   */
  private <T> void fanOut(
      List<T> items,
      CatalogLink from,
      Function<T, String> owner,
      int maxCount,
      Function<List<T>, CatalogMessage> wrap) {
    List<byte[]> whole = null;
    for (CatalogLink link : links.keySet()) {
      if (link == from) {
        continue;
      }
      List<T> kept = filter(items, link, owner);
      List<byte[]> frames;
      if (kept.size() == items.size()) {
        whole = whole == null ? frames(items, maxCount, wrap) : whole;
        frames = whole;
      } else {
        frames = frames(kept, maxCount, wrap);
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
    send(
        link,
        WireCatalogCodec.encode(new CatalogMessage.Digest(host.replica().digest(), answerWithOwn)));
  }

  /** {@code items} in messages of at most {@code maxCount} items and {@link #maxFrameBytes}. */
  private <T> List<byte[]> frames(
      List<T> items, int maxCount, Function<List<T>, CatalogMessage> wrap) {
    List<byte[]> frames = new ArrayList<>();
    for (int from = 0; from < items.size(); from += maxCount) {
      split(items.subList(from, Math.min(items.size(), from + maxCount)), wrap, frames);
    }
    return frames;
  }

  private <T> void split(
      List<T> items, Function<List<T>, CatalogMessage> wrap, List<byte[]> frames) {
    byte[] frame = WireCatalogCodec.encode(wrap.apply(items));
    if (frame.length <= maxFrameBytes) {
      frames.add(frame);
    } else if (items.size() > 1) {
      int half = items.size() / 2;
      split(items.subList(0, half), wrap, frames);
      split(items.subList(half, items.size()), wrap, frames);
    } else {
      stats.oversized.increment();
      warn(
          "oversized",
          "a catalogue change of {} bytes is over the frame limit of {}: not sent",
          frame.length,
          maxFrameBytes);
    }
  }

  private void send(CatalogLink link, byte[] frame) {
    stats.sent(frame.length);
    link.send(frame);
  }

  private void warn(String key, String format, Object... args) {
    log.warn(nanoTime.getAsLong(), key, format, args);
  }
}
