package io.hivemind.core.state;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.StateEntry.Builder;
import io.hivemind.core.wire.proto.StateOpKind;
import io.hivemind.core.wire.proto.StateOperation;
import io.hivemind.core.wire.proto.StateOperationResult;
import io.hivemind.core.wire.proto.StateResultKind;

/**
 * Operations, results and entries to and from their wire types, for {@link WireStateCodec}.
 * Decoding builds the records, whose constructors check every field.
 */
final class WireStateOps {

  private WireStateOps() {}

  static StateOperation encode(StateOp op) {
    StateOperation.Builder b = StateOperation.newBuilder().setMap(op.map()).setKey(op.key());
    if (op instanceof StateOp.Get) {
      b.setKind(StateOpKind.STATE_OP_GET);
    } else if (op instanceof StateOp.Delete) {
      b.setKind(StateOpKind.STATE_OP_DELETE);
    } else if (op instanceof StateOp.Put p) {
      b.setKind(StateOpKind.STATE_OP_PUT)
          .setValue(ByteString.copyFrom(p.value()))
          .setTtlMillis(p.ttlMillis());
    } else if (op instanceof StateOp.CompareAndSet c) {
      b.setKind(StateOpKind.STATE_OP_COMPARE_AND_SET)
          .setValue(ByteString.copyFrom(c.value()))
          .setTtlMillis(c.ttlMillis())
          .setExpectedVersion(c.expectedVersion());
    }
    return b.build();
  }

  static StateOp decode(StateOperation o) {
    return switch (o.getKind()) {
      case STATE_OP_GET -> new StateOp.Get(o.getMap(), o.getKey());
      case STATE_OP_DELETE -> new StateOp.Delete(o.getMap(), o.getKey());
      case STATE_OP_PUT ->
          new StateOp.Put(o.getMap(), o.getKey(), o.getValue().toByteArray(), o.getTtlMillis());
      case STATE_OP_COMPARE_AND_SET ->
          new StateOp.CompareAndSet(
              o.getMap(),
              o.getKey(),
              o.getExpectedVersion(),
              o.getValue().toByteArray(),
              o.getTtlMillis());
      case STATE_OP_UNSPECIFIED, UNRECOGNIZED ->
          throw new StateDecodeException("unknown state operation kind " + o.getKindValue());
    };
  }

  static StateOperationResult encode(StateResult result) {
    StateOperationResult.Builder b = StateOperationResult.newBuilder();
    if (result instanceof StateResult.Found f) {
      b.setKind(StateResultKind.STATE_RESULT_FOUND)
          .setValue(ByteString.copyFrom(f.value()))
          .setVersion(f.version())
          .setExpiresAtMillis(f.expiresAtMillis());
    } else if (result instanceof StateResult.Absent) {
      b.setKind(StateResultKind.STATE_RESULT_ABSENT);
    } else if (result instanceof StateResult.Written w) {
      b.setKind(StateResultKind.STATE_RESULT_WRITTEN).setVersion(w.version());
    } else if (result instanceof StateResult.Deleted d) {
      b.setKind(StateResultKind.STATE_RESULT_DELETED).setExisted(d.existed());
    } else if (result instanceof StateResult.Conflict c) {
      b.setKind(StateResultKind.STATE_RESULT_CONFLICT).setVersion(c.currentVersion());
    } else if (result instanceof StateResult.Redirect r) {
      b.setKind(StateResultKind.STATE_RESULT_REDIRECT)
          .setOwnerId(r.ownerId())
          .setVersion(r.tableVersion());
    } else if (result instanceof StateResult.Unavailable u) {
      b.setKind(StateResultKind.STATE_RESULT_UNAVAILABLE)
          .setReasonCode(u.code().ordinal() + 1)
          .setReason(u.reason());
    }
    return b.build();
  }

  static StateResult decode(StateOperationResult r) {
    return switch (r.getKind()) {
      case STATE_RESULT_FOUND ->
          new StateResult.Found(
              value(r.getValue()),
              nonNegative(r.getVersion()),
              nonNegative(r.getExpiresAtMillis()));
      case STATE_RESULT_ABSENT -> new StateResult.Absent();
      case STATE_RESULT_WRITTEN -> new StateResult.Written(nonNegative(r.getVersion()));
      case STATE_RESULT_DELETED -> new StateResult.Deleted(r.getExisted());
      case STATE_RESULT_CONFLICT -> new StateResult.Conflict(nonNegative(r.getVersion()));
      case STATE_RESULT_REDIRECT ->
          new StateResult.Redirect(bounded(r.getOwnerId()), nonNegative(r.getVersion()));
      case STATE_RESULT_UNAVAILABLE ->
          new StateResult.Unavailable(reason(r.getReasonCode()), bounded(r.getReason()));
      case STATE_RESULT_UNSPECIFIED, UNRECOGNIZED ->
          throw new StateDecodeException("unknown state result kind " + r.getKindValue());
    };
  }

  static io.hivemind.core.wire.proto.StateEntry encode(StateEntry e) {
    Builder b =
        io.hivemind.core.wire.proto.StateEntry.newBuilder()
            .setMap(e.map())
            .setKey(e.key())
            .setValue(ByteString.copyFrom(e.value()))
            .setVersion(e.version())
            .setExpiresAtMillis(e.expiresAtMillis());
    return b.build();
  }

  static StateEntry decode(io.hivemind.core.wire.proto.StateEntry e) {
    return new StateEntry(
        e.getMap(), e.getKey(), e.getValue().toByteArray(), e.getVersion(), e.getExpiresAtMillis());
  }

  private static byte[] value(ByteString value) {
    if (value.size() > StateLimits.MAX_VALUE_BYTES) {
      throw new StateDecodeException("value of " + value.size() + " bytes is too large");
    }
    return value.toByteArray();
  }

  private static long nonNegative(long wire) {
    if (wire < 0) {
      throw new StateDecodeException("number out of range: " + Long.toUnsignedString(wire));
    }
    return wire;
  }

  /** Owner ids and reasons are member names and sentences: a few hundred characters at most. */
  private static String bounded(String text) {
    if (text.length() > 1024) {
      throw new StateDecodeException("text of " + text.length() + " characters is too long");
    }
    return text;
  }

  private static StateResult.UnavailableReason reason(int code) {
    StateResult.UnavailableReason[] all = StateResult.UnavailableReason.values();
    if (code < 1 || code > all.length) {
      throw new StateDecodeException("unknown unavailable reason " + code);
    }
    return all[code - 1];
  }
}
