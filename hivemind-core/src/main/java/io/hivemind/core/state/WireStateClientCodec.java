package io.hivemind.core.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import io.hivemind.core.wire.proto.StateClientError;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientHello;
import io.hivemind.core.wire.proto.StateClientRefused;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateClientWelcome;

/**
 * The state client protocol's edge to the wire (state_client.proto, docs/protocol/state-client.md).
 * Operations and results convert as the node-to-node protocol's ({@link WireStateOps}), so both
 * protocols carry the same kinds and unavailable reason codes.
 *
 * <p>Decoding bounds the frame before parsing and every text after; a frame that is not a valid
 * message is refused whole with a {@link StateClientDecodeException} and nothing else. A request
 * whose frame is sound but whose operation the store would not take decodes to {@link
 * StateClientMessage.InvalidRequest}, so the agent answers it (as the HTTP API answers 400) and the
 * connection lives on.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireStateClientCodec {

  /** The protocol version this code speaks; a frame of another one is refused. */
  public static final int VERSION = 1;

  /** Largest frame either side reads: the largest value plus room for the rest of a request. */
  public static final int MAX_FRAME_BYTES = StateLimits.MAX_VALUE_BYTES + (64 << 10);

  private WireStateClientCodec() {}

  /** The message's bytes (without the length prefix). */
  public static byte[] encode(StateClientMessage message) {
    StateClientFrame.Builder frame = StateClientFrame.newBuilder().setVersion(VERSION);
    if (message instanceof StateClientMessage.Hello m) {
      frame.setHello(
          StateClientHello.newBuilder()
              .setEnvironment(m.environment())
              .setCluster(m.cluster())
              .setClientName(m.clientName())
              .setToken(m.token()));
    } else if (message instanceof StateClientMessage.Welcome m) {
      frame.setWelcome(
          StateClientWelcome.newBuilder()
              .setAgent(m.agent())
              .setMaxInFlight(m.maxInFlight())
              .setMaxFrameBytes(m.maxFrameBytes()));
    } else if (message instanceof StateClientMessage.Refused m) {
      frame.setRefused(
          StateClientRefused.newBuilder()
              .setReasonValue(m.reason().ordinal() + 1)
              .setSentence(m.sentence()));
    } else if (message instanceof StateClientMessage.Request m) {
      frame.setRequest(
          StateClientRequest.newBuilder()
              .setId(m.id())
              .setOp(WireStateOps.encode(m.op()))
              .setRoutedVersion(m.routedVersion()));
    } else if (message instanceof StateClientMessage.Reply m) {
      frame.setReply(reply(m));
    } else {
      // An InvalidRequest is what decoding makes of a bad request; no side sends one.
      throw new IllegalArgumentException("not a message to send: " + message);
    }
    return frame.build().toByteArray();
  }

  private static StateClientReply.Builder reply(StateClientMessage.Reply m) {
    StateClientReply.Builder b = StateClientReply.newBuilder().setId(m.id());
    if (m.error() != null) {
      return b.setError(
          StateClientError.newBuilder()
              .setCodeValue(m.error().code().ordinal() + 1)
              .setSentence(m.error().sentence()));
    }
    return b.setResult(WireStateOps.encode(m.result()))
        .setTableVersion(m.tableVersion())
        .setOwner(m.owner())
        .setForwarded(m.forwarded());
  }

  /**
   * The message in {@code bytes} (one frame without its length prefix).
   *
   * @throws StateClientDecodeException with one sentence when the bytes are not a valid message
   */
  public static StateClientMessage decode(byte[] bytes) {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new StateClientDecodeException(
          "state client frame of " + bytes.length + " bytes is larger than " + MAX_FRAME_BYTES,
          false);
    }
    StateClientFrame frame;
    try {
      frame = StateClientFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StateClientDecodeException(
          "state client frame is not valid protobuf: " + e.getMessage(), e);
    }
    if (frame.getVersion() != VERSION) {
      throw new StateClientDecodeException(
          "state client protocol version "
              + Integer.toUnsignedString(frame.getVersion())
              + " is not supported (this side speaks "
              + VERSION
              + ")",
          true);
    }
    try {
      return body(frame);
    } catch (IllegalArgumentException | NullPointerException | StateDecodeException e) {
      // The records' constructors check every field; their sentence names the bad one.
      throw new StateClientDecodeException("invalid state client frame: " + e.getMessage(), e);
    }
  }

  // Switched on field numbers, not on the BodyCase enum: javac compiles an enum switch into a
  // synthetic class whose name does not start with "Wire" (see WireSessionCodec).
  private static StateClientMessage body(StateClientFrame frame) {
    return switch (frame.getBodyCase().getNumber()) {
      case StateClientFrame.HELLO_FIELD_NUMBER -> hello(frame.getHello());
      case StateClientFrame.WELCOME_FIELD_NUMBER -> welcome(frame.getWelcome());
      case StateClientFrame.REFUSED_FIELD_NUMBER ->
          new StateClientMessage.Refused(
              refusal(frame.getRefused().getReasonValue()), frame.getRefused().getSentence());
      case StateClientFrame.REQUEST_FIELD_NUMBER -> request(frame.getRequest());
      case StateClientFrame.REPLY_FIELD_NUMBER -> reply(frame.getReply());
      default ->
          throw new StateClientDecodeException("state client frame carries no message", false);
    };
  }

  private static StateClientMessage.Hello hello(StateClientHello h) {
    return new StateClientMessage.Hello(
        h.getEnvironment(), h.getCluster(), h.getClientName(), h.getToken());
  }

  private static StateClientMessage.Welcome welcome(StateClientWelcome w) {
    if (w.getMaxInFlight() < 0 || w.getMaxFrameBytes() < 0) {
      // uint32 above 2^31 arrives negative in Java
      throw new StateClientDecodeException("welcome bounds out of range", false);
    }
    return new StateClientMessage.Welcome(w.getAgent(), w.getMaxInFlight(), w.getMaxFrameBytes());
  }

  private static StateClientMessage request(StateClientRequest r) {
    if (r.getRoutedVersion() < 0) {
      return new StateClientMessage.InvalidRequest(
          r.getId(), "routed version out of range: " + Long.toUnsignedString(r.getRoutedVersion()));
    }
    StateOp op;
    try {
      op = WireStateOps.decode(r.getOp());
    } catch (IllegalArgumentException | NullPointerException | StateDecodeException e) {
      // The frame is sound, the operation is not one the store takes: the HTTP API's 400.
      return new StateClientMessage.InvalidRequest(r.getId(), sentence(e.getMessage()));
    }
    return new StateClientMessage.Request(r.getId(), op, r.getRoutedVersion());
  }

  private static StateClientMessage.Reply reply(StateClientReply r) {
    if (r.hasError() == r.hasResult()) {
      throw new StateClientDecodeException(
          "a state client reply must carry a result or an error, not both or neither", false);
    }
    if (r.getTableVersion() < 0) {
      throw new StateClientDecodeException(
          "table version out of range: " + Long.toUnsignedString(r.getTableVersion()), false);
    }
    if (r.hasError()) {
      return StateClientMessage.Reply.error(
          r.getId(), errorCode(r.getError().getCodeValue()), r.getError().getSentence());
    }
    return StateClientMessage.Reply.of(
        r.getId(),
        WireStateOps.decode(r.getResult()),
        r.getTableVersion(),
        r.getOwner(),
        r.getForwarded());
  }

  /** An exception's sentence, bounded: the agent sends it back in an error reply. */
  private static String sentence(String message) {
    String text = String.valueOf(message);
    return text.length() <= StateClientMessage.MAX_TEXT
        ? text
        : text.substring(0, StateClientMessage.MAX_TEXT);
  }

  private static Refusal refusal(int code) {
    Refusal[] all = Refusal.values();
    if (code < 1 || code > all.length) {
      throw new StateClientDecodeException("unknown refusal reason " + code, false);
    }
    return all[code - 1];
  }

  private static ErrorCode errorCode(int code) {
    ErrorCode[] all = ErrorCode.values();
    if (code < 1 || code > all.length) {
      throw new StateClientDecodeException("unknown error code " + code, false);
    }
    return all[code - 1];
  }
}
