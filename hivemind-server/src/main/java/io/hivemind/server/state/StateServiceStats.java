package io.hivemind.server.state;

import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import io.hivemind.core.state.StateStats;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state driver's counters and the node's latest figures (docs/metrics.md, {@code
 * hivemind.state.*}). Written on the driver's thread, read by metrics from any.
 */
public final class StateServiceStats {

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> messages = new ConcurrentHashMap<>();
  final LongAdder forwarded = new LongAdder();
  final LongAdder inboundDropped = new LongAdder();
  final LongAdder noAddress = new LongAdder();
  final LongAdder movesCaughtUp = new LongAdder();
  private volatile StateStats node = new StateStats(0, 0, 0, 0, 0);

  void answered(StateOp op, StateResult result) {
    requests.computeIfAbsent(key(op, result), k -> new LongAdder()).increment();
  }

  private volatile java.util.function.BiConsumer<String, String> newMessageType = (d, t) -> {};

  void message(String direction, Object message) {
    String type = message.getClass().getSimpleName();
    String key = direction + " " + type;
    LongAdder counter = messages.get(key);
    if (counter == null) {
      counter = messages.computeIfAbsent(key, k -> new LongAdder());
      newMessageType.accept(direction, type);
    }
    counter.increment();
  }

  /**
   * Calls {@code listener} with (direction, type) for each message type seen from now on, the first
   * time it is: metrics register a counter per type as they appear, since the protocol's message
   * types are the core's to name.
   */
  public void onNewMessageType(java.util.function.BiConsumer<String, String> listener) {
    newMessageType = listener;
    for (String key : messages.keySet()) {
      int space = key.indexOf(' ');
      listener.accept(key.substring(0, space), key.substring(space + 1));
    }
  }

  /** Messages of {@code type} sent or received ({@code direction}) so far. */
  public long messages(String direction, String type) {
    LongAdder counter = messages.get(direction + " " + type);
    return counter == null ? 0 : counter.sum();
  }

  /** Requests of {@code op} answered with {@code result} so far. */
  public long requests(String op, String result) {
    LongAdder counter = requests.get(op + " " + result);
    return counter == null ? 0 : counter.sum();
  }

  void publish(StateStats latest) {
    node = latest;
  }

  /** Requests answered by {@code "op result"} ({@code "put written"}, {@code "get absent"}). */
  public Map<String, Long> requests() {
    return snapshot(requests);
  }

  /** Messages by {@code "sent Type"} and {@code "received Type"} (the protocol's message types). */
  public Map<String, Long> messages() {
    return snapshot(messages);
  }

  /** Requests this agent answered as a forwarder (another agent owned the key's partition). */
  public long forwarded() {
    return forwarded.sum();
  }

  /** Peers' messages dropped because the driver was too far behind. */
  public long inboundDropped() {
    return inboundDropped.sum();
  }

  /** Messages not sent because the member announced no state address. */
  public long noAddress() {
    return noAddress.sum();
  }

  /** Moves this node reported caught up (proposed to the control plane, or to be). */
  public long movesCaughtUp() {
    return movesCaughtUp.sum();
  }

  /** The node's figures as of its last call. */
  public StateStats node() {
    return node;
  }

  static String opName(StateOp op) {
    if (op instanceof StateOp.Get) {
      return "get";
    }
    if (op instanceof StateOp.Put) {
      return "put";
    }
    return op instanceof StateOp.Delete ? "delete" : "cas";
  }

  static String resultName(StateResult result) {
    if (result instanceof StateResult.Unavailable unavailable) {
      return unavailable.code().name().toLowerCase(Locale.ROOT);
    }
    return result.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String key(StateOp op, StateResult result) {
    return opName(op) + " " + resultName(result);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counters.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }
}
