package io.hivemind.server.http;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.control.ControlView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The latest rendered answer of each recent lookup ({@code /v1/health/service/web?passing}), kept
 * while the catalogue snapshot and the control view it was rendered from are current: lookups far
 * outnumber changes (every client polls, or blocks and re-reads, the same few services), and a
 * snapshot never changes, so the same bytes are the right answer until either view is replaced.
 *
 * <p>Owning thread: the HTTP event loop (the API has one). Bounded: the least recently used of
 * {@link #MAX_ENTRIES} answers goes first.
 */
final class AnswerCache {

  /** Enough for every service a large cluster's clients look up; about 5 KB an answer of 10. */
  static final int MAX_ENTRIES = 512;

  private record Answer(CatalogView catalog, ControlView control, byte[] body) {}

  private final Map<String, Answer> answers =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /** The answer to {@code key} at these views, rendered by {@code render} unless cached. */
  byte[] get(String key, CatalogView catalog, ControlView control, Supplier<byte[]> render) {
    Answer cached = answers.get(key);
    if (cached != null && cached.catalog() == catalog && cached.control() == control) {
      return cached.body();
    }
    byte[] body = render.get();
    answers.put(key, new Answer(catalog, control, body));
    return body;
  }
}
