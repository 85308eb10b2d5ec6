package io.hivemind.core.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the owner of one partition tracks beyond the data: the copies it feeds and the writes
 * awaiting their acknowledgements. Made on the first write or move after the node became owner and
 * dropped when it stops being owner, so a new ownership always starts by re-sending snapshots (a
 * promoted backup may lack writes another backup holds under the same sequence numbers).
 */
final class OwnedPartition {

  final Map<String, Feed> feeds = new LinkedHashMap<>();
  final Deque<PendingWrite> writes = new ArrayDeque<>();

  Feed feed(String target) {
    return feeds.computeIfAbsent(target, t -> new Feed());
  }
}
