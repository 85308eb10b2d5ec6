package io.hivemind.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Consul's {@code ?node-meta=key:value}, repeatable: only instances (or checks, or nodes) of nodes
 * whose metadata holds every pair. The value is what follows the first colon; a pair without one
 * asks for an empty value, as Consul reads it.
 *
 * @param pairs the metadata a node must hold
 */
record NodeMetaFilter(Map<String, String> pairs) {

  NodeMetaFilter {
    pairs = Map.copyOf(pairs);
  }

  /** The request's pairs; empty without any. */
  static Optional<NodeMetaFilter> of(ApiRequest request) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : request.queryParams("node-meta")) {
      int colon = pair.indexOf(':');
      if (colon < 0) {
        pairs.put(pair, "");
      } else {
        pairs.put(pair.substring(0, colon), pair.substring(colon + 1));
      }
    }
    return pairs.isEmpty() ? Optional.empty() : Optional.of(new NodeMetaFilter(pairs));
  }

  /** Whether a node with {@code meta} is kept. */
  boolean test(Map<?, ?> meta) {
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      if (!pair.getValue().equals(meta.get(pair.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** A stable text of the pairs, for cache keys. */
  String key() {
    StringBuilder key = new StringBuilder();
    new TreeMap<>(pairs).forEach((k, v) -> key.append(k).append(':').append(v).append('\0'));
    return key.toString();
  }

  /** {@code /v1/catalog/nodes}' answer with only the nodes whose {@code Meta} holds the pairs. */
  byte[] keepNodes(byte[] answer) {
    List<Object> kept = new ArrayList<>();
    if (JsonTree.read(answer) instanceof List<?> nodes) {
      for (Object node : nodes) {
        if (JsonTree.select(node, List.of("Meta")) instanceof Map<?, ?> meta && test(meta)) {
          kept.add(node);
        }
      }
    }
    return ApiJson.write(json -> JsonTree.write(json, kept));
  }
}
