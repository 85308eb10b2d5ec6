package io.hivemind.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * What replicas send each other (docs/protocol/catalogue.md), decoded once at the edge by {@code
 * WireCatalogCodec}.
 */
public sealed interface CatalogMessage {

  /** Owners' changes, each passed on by whoever applied it. */
  record Deltas(List<CatalogDelta> deltas) implements CatalogMessage {
    public Deltas {
      deltas = List.copyOf(deltas);
    }
  }

  /** Owners' whole states: the answer to a digest, or a new peer's first fill. */
  record States(List<OwnerState> states) implements CatalogMessage {
    public States {
      states = List.copyOf(states);
    }
  }

  /**
   * One part of an owner's whole state too large for one frame; the parts of one state travel
   * consecutively on a link and are applied together, when the last one arrived.
   */
  record StateChunk(OwnerStateChunk chunk) implements CatalogMessage {
    public StateChunk {
      java.util.Objects.requireNonNull(chunk, "chunk");
    }
  }

  /**
   * The sender's versions of every owner it holds. The receiver answers with the {@link States} the
   * sender lacks and, when {@code answerWithOwn}, its own digest so the sender can fill the
   * receiver too.
   */
  record Digest(Map<String, OwnerVersion> versions, boolean answerWithOwn)
      implements CatalogMessage {
    public Digest {
      versions = Map.copyOf(versions);
    }
  }
}
