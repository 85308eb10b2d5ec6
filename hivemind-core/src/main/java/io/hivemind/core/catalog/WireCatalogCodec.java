package io.hivemind.core.catalog;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.CatalogDeltaBody;
import io.hivemind.core.wire.proto.CatalogDeltas;
import io.hivemind.core.wire.proto.CatalogDigest;
import io.hivemind.core.wire.proto.CatalogFrame;
import io.hivemind.core.wire.proto.CatalogInstance;
import io.hivemind.core.wire.proto.CatalogOwnerState;
import io.hivemind.core.wire.proto.CatalogStateChunk;
import io.hivemind.core.wire.proto.CatalogStates;
import io.hivemind.core.wire.proto.CatalogVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link CatalogMessage}s (catalog.proto, docs/protocol/catalogue.md). Decoding
 * bounds every count and length before building records and validates every field through the
 * records' constructors, so a forged or mutated message is refused whole with a {@link
 * CatalogDecodeException}; nothing past this class sees a generated type.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireCatalogCodec {

  /** The version this code writes; a frame of another one is refused. */
  public static final int VERSION = 1;

  /**
   * The largest frame accepted. Senders keep frames far smaller (an owner's state too large for one
   * frame travels in chunks, {@link #encodeChunks}); 16 MiB still bounds what a peer can make a
   * node allocate and leaves room for one instance at every field's bound.
   */
  public static final int MAX_FRAME_BYTES = 16 << 20;

  /** Deltas per message: a sender batches what one loop turn drained; more is split. */
  public static final int MAX_DELTAS = 1_024;

  /** Owners' states per message: a digest answer is split into messages of at most this many. */
  public static final int MAX_STATES = 256;

  /** Instances in one delta or state: ten thousand services on one agent is already extreme. */
  public static final int MAX_INSTANCES = 65_536;

  /** Owners in one digest: one per agent, and a cluster is sized for ~1,000 agents. */
  public static final int MAX_DIGEST_OWNERS = 100_000;

  /**
   * Room kept in a chunk for everything but its instances: the frame's version and body tag, the
   * owner (at most 128 characters), generation, seq, index and count, each with its tag.
   */
  private static final int CHUNK_HEADER_BYTES = 256;

  private WireCatalogCodec() {}

  /**
   * {@code state} as consecutive {@link CatalogMessage.StateChunk} frames of at most {@code
   * chunkBytes} each (docs/protocol/catalogue.md, "Chunked states"); one instance larger than that
   * goes alone in its chunk. Each instance is encoded once.
   */
  public static List<byte[]> encodeChunks(OwnerState state, int chunkBytes) {
    if (chunkBytes <= CHUNK_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "chunkBytes must be more than " + CHUNK_HEADER_BYTES + ": " + chunkBytes);
    }
    List<List<CatalogInstance>> parts = new ArrayList<>();
    List<CatalogInstance> part = new ArrayList<>();
    int partBytes = CHUNK_HEADER_BYTES;
    for (ServiceInstance instance : state.instances()) {
      CatalogInstance wire = WireCatalogInstances.encode(instance);
      int size = wire.getSerializedSize();
      // A repeated message field: one tag byte and the length as a varint before the bytes.
      int entryBytes = 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
      if (!part.isEmpty() && partBytes + entryBytes > chunkBytes) {
        parts.add(part);
        part = new ArrayList<>();
        partBytes = CHUNK_HEADER_BYTES;
      }
      part.add(wire);
      partBytes += entryBytes;
    }
    parts.add(part);
    List<byte[]> frames = new ArrayList<>(parts.size());
    for (int index = 0; index < parts.size(); index++) {
      frames.add(chunkFrame(state, index, parts.size(), parts.get(index)));
    }
    return frames;
  }

  private static byte[] chunkFrame(
      OwnerState state, int index, int count, List<CatalogInstance> instances) {
    CatalogStateChunk.Builder body =
        CatalogStateChunk.newBuilder()
            .setOwner(state.owner())
            .setGeneration(state.generation())
            .setSeq(state.seq())
            .setChunkIndex(index)
            .setChunkCount(count)
            .addAllInstances(instances);
    return CatalogFrame.newBuilder().setVersion(VERSION).setStateChunk(body).build().toByteArray();
  }

  public static byte[] encode(CatalogMessage message) {
    CatalogFrame.Builder frame = CatalogFrame.newBuilder().setVersion(VERSION);
    if (message instanceof CatalogMessage.Deltas deltas) {
      CatalogDeltas.Builder body = CatalogDeltas.newBuilder();
      deltas.deltas().forEach(delta -> body.addDeltas(delta(delta)));
      frame.setDeltas(body);
    } else if (message instanceof CatalogMessage.States states) {
      CatalogStates.Builder body = CatalogStates.newBuilder();
      states.states().forEach(state -> body.addStates(state(state)));
      frame.setStates(body);
    } else if (message instanceof CatalogMessage.StateChunk chunk) {
      frame.setStateChunk(chunk(chunk.chunk()));
    } else {
      frame.setDigest(digest((CatalogMessage.Digest) message));
    }
    return frame.build().toByteArray();
  }

  private static CatalogDeltaBody.Builder delta(CatalogDelta delta) {
    CatalogDeltaBody.Builder body =
        CatalogDeltaBody.newBuilder()
            .setOwner(delta.owner())
            .setGeneration(delta.generation())
            .setFromSeq(delta.fromSeq())
            .setToSeq(delta.toSeq())
            .addAllRemovedIds(delta.removedIds());
    delta.upserts().forEach(instance -> body.addUpserts(WireCatalogInstances.encode(instance)));
    return body;
  }

  private static CatalogOwnerState.Builder state(OwnerState state) {
    CatalogOwnerState.Builder body =
        CatalogOwnerState.newBuilder()
            .setOwner(state.owner())
            .setGeneration(state.generation())
            .setSeq(state.seq());
    state.instances().forEach(instance -> body.addInstances(WireCatalogInstances.encode(instance)));
    return body;
  }

  private static CatalogStateChunk.Builder chunk(OwnerStateChunk chunk) {
    CatalogStateChunk.Builder body =
        CatalogStateChunk.newBuilder()
            .setOwner(chunk.owner())
            .setGeneration(chunk.generation())
            .setSeq(chunk.seq())
            .setChunkIndex(chunk.index())
            .setChunkCount(chunk.count());
    chunk.instances().forEach(instance -> body.addInstances(WireCatalogInstances.encode(instance)));
    return body;
  }

  private static CatalogDigest.Builder digest(CatalogMessage.Digest digest) {
    CatalogDigest.Builder body =
        CatalogDigest.newBuilder().setAnswerWithOwn(digest.answerWithOwn());
    // Sorted, so the same digest always encodes to the same bytes (golden tests, byte counts).
    new java.util.TreeMap<>(digest.versions())
        .forEach(
            (owner, version) ->
                body.addVersions(
                    CatalogVersion.newBuilder()
                        .setOwner(owner)
                        .setGeneration(version.generation())
                        .setSeq(version.seq())));
    return body;
  }

  /**
   * One frame's bytes as a record.
   *
   * @throws CatalogDecodeException for bytes over {@link #MAX_FRAME_BYTES}, bytes that are not a
   *     frame, another version, a frame without a body, a count over its bound, or a field that
   *     breaks its record's rule
   */
  public static CatalogMessage decode(byte[] bytes) throws CatalogDecodeException {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new CatalogDecodeException(
          "catalogue frame of " + bytes.length + " bytes, more than " + MAX_FRAME_BYTES);
    }
    CatalogFrame frame;
    try {
      frame = CatalogFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CatalogDecodeException("not a catalogue frame: " + e.getMessage(), e);
    }
    if (frame.getVersion() != VERSION) {
      throw new CatalogDecodeException(
          "catalogue protocol version "
              + Integer.toUnsignedString(frame.getVersion())
              + " is not supported (this node speaks "
              + VERSION
              + ")");
    }
    try {
      return body(frame);
    } catch (IllegalArgumentException | NullPointerException e) {
      // A record refused a field: the whole message is refused, saying which rule broke.
      throw new CatalogDecodeException("invalid catalogue frame: " + e.getMessage(), e);
    }
  }

  // Switched on field numbers, not on the BodyCase enum: javac compiles an enum switch into a
  // synthetic class whose name does not start with "Wire" (see WireDecoder).
  private static CatalogMessage body(CatalogFrame frame) throws CatalogDecodeException {
    return switch (frame.getBodyCase().getNumber()) {
      case CatalogFrame.DELTAS_FIELD_NUMBER -> deltas(frame.getDeltas());
      case CatalogFrame.STATES_FIELD_NUMBER -> states(frame.getStates());
      case CatalogFrame.DIGEST_FIELD_NUMBER -> digest(frame.getDigest());
      case CatalogFrame.STATE_CHUNK_FIELD_NUMBER -> chunk(frame.getStateChunk());
      default -> throw new CatalogDecodeException("catalogue frame without a body");
    };
  }

  private static CatalogMessage.Deltas deltas(CatalogDeltas wire) throws CatalogDecodeException {
    bound("deltas", wire.getDeltasCount(), MAX_DELTAS);
    List<CatalogDelta> deltas = new ArrayList<>(wire.getDeltasCount());
    for (CatalogDeltaBody body : wire.getDeltasList()) {
      bound("upserts of a delta", body.getUpsertsCount(), MAX_INSTANCES);
      bound("removed ids of a delta", body.getRemovedIdsCount(), MAX_INSTANCES);
      String owner = CatalogNames.requireId("owner", body.getOwner());
      List<ServiceInstance> upserts =
          WireCatalogInstances.decode(owner, body.getUpsertsList(), "delta");
      for (String id : body.getRemovedIdsList()) {
        CatalogNames.requireId("removed id", id);
      }
      deltas.add(
          new CatalogDelta(
              owner,
              body.getGeneration(),
              seq("from seq", body.getFromSeq()),
              seq("to seq", body.getToSeq()),
              upserts,
              body.getRemovedIdsList()));
    }
    return new CatalogMessage.Deltas(deltas);
  }

  private static CatalogMessage.States states(CatalogStates wire) throws CatalogDecodeException {
    bound("states", wire.getStatesCount(), MAX_STATES);
    List<OwnerState> states = new ArrayList<>(wire.getStatesCount());
    for (CatalogOwnerState body : wire.getStatesList()) {
      bound("instances of a state", body.getInstancesCount(), MAX_INSTANCES);
      String owner = CatalogNames.requireId("owner", body.getOwner());
      states.add(
          new OwnerState(
              owner,
              body.getGeneration(),
              seq("seq", body.getSeq()),
              WireCatalogInstances.decode(owner, body.getInstancesList(), "state")));
    }
    return new CatalogMessage.States(states);
  }

  private static CatalogMessage.StateChunk chunk(CatalogStateChunk wire)
      throws CatalogDecodeException {
    bound("instances of a state chunk", wire.getInstancesCount(), MAX_INSTANCES);
    // uint32 on the wire: a value above Integer.MAX_VALUE arrives negative, and the record refuses
    // it; the record also bounds the count and the index within it.
    String owner = CatalogNames.requireId("owner", wire.getOwner());
    return new CatalogMessage.StateChunk(
        new OwnerStateChunk(
            owner,
            wire.getGeneration(),
            seq("seq", wire.getSeq()),
            wire.getChunkIndex(),
            wire.getChunkCount(),
            WireCatalogInstances.decode(owner, wire.getInstancesList(), "state chunk")));
  }

  private static CatalogMessage.Digest digest(CatalogDigest wire) throws CatalogDecodeException {
    bound("digest owners", wire.getVersionsCount(), MAX_DIGEST_OWNERS);
    Map<String, OwnerVersion> versions = new HashMap<>();
    for (CatalogVersion version : wire.getVersionsList()) {
      String owner = CatalogNames.requireId("owner", version.getOwner());
      OwnerVersion held = new OwnerVersion(version.getGeneration(), seq("seq", version.getSeq()));
      if (versions.put(owner, held) != null) {
        throw new CatalogDecodeException("digest lists owner " + owner + " twice");
      }
    }
    return new CatalogMessage.Digest(versions, wire.getAnswerWithOwn());
  }

  static void bound(String what, int count, int max) throws CatalogDecodeException {
    if (count > max) {
      throw new CatalogDecodeException(what + ": " + count + ", more than " + max);
    }
  }

  /** uint64 on the wire: a value above Long.MAX_VALUE arrives negative and is refused. */
  private static long seq(String what, long value) throws CatalogDecodeException {
    if (value < 0) {
      throw new CatalogDecodeException(what + " " + Long.toUnsignedString(value) + " is too large");
    }
    return value;
  }
}
