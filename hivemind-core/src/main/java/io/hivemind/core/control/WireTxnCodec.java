package io.hivemind.core.control;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.WireKvOp;
import io.hivemind.core.wire.proto.WireKvTxn;
import io.hivemind.core.wire.proto.WireKvVerb;
import java.util.ArrayList;
import java.util.List;

/**
 * The KV transaction part of control.proto (entry number 54, {@code WireKvTxn}): its operations,
 * and their verbs, which are Consul's under a {@code KV_} prefix.
 */
final class WireTxnCodec {

  private WireTxnCodec() {}

  static WireKvTxn txn(ControlCommand.KvTxn txn) {
    WireKvTxn.Builder wire = WireKvTxn.newBuilder();
    for (KvOp op : txn.ops()) {
      wire.addOps(
          WireKvOp.newBuilder()
              .setVerb(WireKvVerb.valueOf("KV_" + op.verb().name()))
              .setKey(op.key())
              .setValue(ByteString.copyFrom(op.value()))
              .setFlags(op.flags())
              .setIndex(op.index())
              .setSession(op.session()));
    }
    return wire.build();
  }

  static ControlCommand txn(WireKvTxn wire) throws ControlDecodeException {
    // Counted before anything is built: the field rules say the same once it is.
    if (wire.getOpsCount() > ControlFieldRules.MAX_TXN_OPS) {
      throw new ControlDecodeException(wire.getOpsCount() + " operations in one transaction");
    }
    List<KvOp> ops = new ArrayList<>(wire.getOpsCount());
    for (WireKvOp op : wire.getOpsList()) {
      ops.add(
          new KvOp(
              verb(op.getVerbValue()),
              op.getKey(),
              op.getValue().toByteArray(),
              op.getFlags(),
              op.getIndex(),
              op.getSession()));
    }
    return new ControlCommand.KvTxn(ops);
  }

  private static KvOp.Verb verb(int number) throws ControlDecodeException {
    WireKvVerb verb = WireKvVerb.forNumber(number);
    if (verb == null || verb == WireKvVerb.KV_VERB_UNSPECIFIED) {
      throw new ControlDecodeException("KV transaction verb " + number + " unknown");
    }
    return KvOp.Verb.valueOf(verb.name().substring("KV_".length()));
  }
}
