package io.hivemind.core.layeringfixture;

import io.hivemind.core.wire.proto.Ping;

/** Deliberately wrong: protocol logic reading a generated wire type instead of a record. */
public final class CoreClassThatSeesProtobuf {

  private CoreClassThatSeesProtobuf() {}

  static int sequence(Ping ping) {
    return ping.getSeq();
  }
}
