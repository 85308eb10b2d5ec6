package io.hivemind.core.control;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WireEvent;
import io.hivemind.core.wire.proto.WireKvEntry;
import io.hivemind.core.wire.proto.WireRefused;
import io.hivemind.core.wire.proto.WireResult;
import io.hivemind.core.wire.proto.WireSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane's bytes: log entries, apply results and snapshots, as protobuf ({@code
 * control.proto}, docs/protocol/control.md). Decoding validates once at the edge ({@link
 * ControlDecodeException} names what is wrong, and is the only exception bad bytes raise); the
 * state machine only ever sees records.
 *
 * <p>Stateless.
 */
public final class WireControlCodec {

  /**
   * Largest entry: a KV value of 512 KiB with its key, or a batch of {@value
   * ControlFieldRules#MAX_OBSERVATIONS} observations, with room to spare. Checked before parsing.
   */
  public static final int MAX_ENTRY_BYTES = 2 * 1024 * 1024;

  /** Largest apply result: the events of one entry (a removal rule may remove several members). */
  public static final int MAX_RESULT_BYTES = 2 * 1024 * 1024;

  /** The snapshot format this code writes. Decoding refuses a newer one with a clear error. */
  public static final int SNAPSHOT_VERSION = 1;

  private WireControlCodec() {}

  public static byte[] encodeEntry(ControlEntry entry) {
    return WireControlEncoder.entry(entry).toByteArray();
  }

  /**
   * Decodes one log entry.
   *
   * @throws ControlDecodeException for bytes that do not parse, a version above {@link
   *     ControlEntry#CURRENT_VERSION}, no command, an unknown enum, or a field rule broken
   */
  public static ControlEntry decodeEntry(byte[] bytes) throws ControlDecodeException {
    if (bytes.length > MAX_ENTRY_BYTES) {
      throw new ControlDecodeException("entry of " + bytes.length + " bytes");
    }
    try {
      return WireControlDecoder.entry(WireEntry.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new ControlDecodeException("entry does not parse: " + e.getMessage(), e);
    }
  }

  public static byte[] encodeResult(ApplyResult result) {
    return WireControlEncoder.result(result).toByteArray();
  }

  /**
   * Decodes an apply result (what a leader answers a proposer).
   *
   * @throws ControlDecodeException for bytes that do not parse or break a field rule
   */
  public static ApplyResult decodeResult(byte[] bytes) throws ControlDecodeException {
    if (bytes.length > MAX_RESULT_BYTES) {
      throw new ControlDecodeException("result of " + bytes.length + " bytes");
    }
    WireResult wire;
    try {
      wire = WireResult.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ControlDecodeException("result does not parse: " + e.getMessage(), e);
    }
    return result(wire, true);
  }

  private static ApplyResult result(WireResult wire, boolean outer) throws ControlDecodeException {
    if (wire.getIndex() < 0) {
      throw new ControlDecodeException("result index " + wire.getIndex() + " is negative");
    }
    return switch (wire.getOutcomeCase().getNumber()) {
      case WireResult.BATCHED_FIELD_NUMBER -> {
        if (!outer) {
          throw new ControlDecodeException("a batch's result holds another batch's");
        }
        List<ApplyResult> results = new ArrayList<>(wire.getBatched().getResultsCount());
        for (WireResult inner : wire.getBatched().getResultsList()) {
          results.add(result(inner, false));
        }
        yield new ApplyResult.Batched(wire.getIndex(), results);
      }
      case WireResult.APPLIED_FIELD_NUMBER -> applied(wire);
      case WireResult.REFUSED_FIELD_NUMBER -> refused(wire);
      default -> throw new ControlDecodeException("result without an outcome");
    };
  }

  private static ApplyResult refused(WireResult wire) throws ControlDecodeException {
    WireRefused refused = wire.getRefused();
    int operation = refused.hasOperation() ? refused.getOperation() : -1;
    if (refused.hasOperation() && operation < 0) {
      throw new ControlDecodeException("refused operation " + operation + " is negative");
    }
    return new ApplyResult.Refused(
        wire.getIndex(),
        WireControlDecoder.refusalCode(refused.getCodeValue()),
        WireControlDecoder.message(refused.getMessage()),
        operation);
  }

  private static ApplyResult applied(WireResult wire) throws ControlDecodeException {
    if (wire.getApplied().getEpoch() < 0) {
      throw new ControlDecodeException("result epoch " + wire.getApplied().getEpoch());
    }
    List<ControlEvent> events = new ArrayList<>(wire.getApplied().getEventsCount());
    for (WireEvent event : wire.getApplied().getEventsList()) {
      events.add(WireControlDecoder.event(event));
    }
    List<KvEntry> kv = new ArrayList<>(wire.getApplied().getKvCount());
    for (WireKvEntry entry : wire.getApplied().getKvList()) {
      kv.add(WireControlDecoder.kvEntry(entry));
    }
    return new ApplyResult.Applied(wire.getIndex(), wire.getApplied().getEpoch(), events, kv);
  }

  public static byte[] encodeSnapshot(ControlSnapshot snapshot) {
    return WireControlEncoder.snapshot(snapshot, SNAPSHOT_VERSION).toByteArray();
  }

  /**
   * Decodes a snapshot and checks that it describes a state {@link ControlState} could have
   * reached: field rules, unique member ids and names, keys in order, indexes consistent.
   *
   * @throws ControlDecodeException naming the first problem
   */
  public static ControlSnapshot decodeSnapshot(byte[] bytes) throws ControlDecodeException {
    WireSnapshot wire;
    try {
      wire = WireSnapshot.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ControlDecodeException("snapshot does not parse: " + e.getMessage(), e);
    }
    return WireControlSnapshotDecoder.snapshot(wire);
  }
}
