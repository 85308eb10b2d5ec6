package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.state.StateClientMessage;
import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import io.hivemind.core.state.WireStateClientCodec;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.state.StateAnswer;
import io.hivemind.server.state.StateRequests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The state client handler on an embedded channel: hello checks, requests handed to the store and
 * answered by id in the store's order, the in-flight bound, ACLs, and bad frames closing only the
 * connection.
 */
class StateClientHandlerTest {

  private static final String ROOT = "root-secret";
  private static final byte[] V = "v".getBytes(StandardCharsets.UTF_8);

  /** The store: each request waits until the test answers it. */
  private static final class Store implements StateRequests {
    final List<StateOp> ops = new ArrayList<>();
    final List<CompletableFuture<StateAnswer>> answers = new ArrayList<>();

    @Override
    public CompletableFuture<StateAnswer> submit(StateOp op, long routedVersion) {
      CompletableFuture<StateAnswer> answer = new CompletableFuture<>();
      ops.add(op);
      answers.add(answer);
      return answer;
    }
  }

  private final Store store = new Store();
  private final StateClientStats stats = new StateClientStats();

  private EmbeddedChannel channel(AclTokenResolver acl, int maxConnections) {
    StateClientContext context =
        new StateClientContext("testing", "c1", () -> "agent-1", store, () -> acl);
    return new EmbeddedChannel(
        new LengthFieldBasedFrameDecoder(WireStateClientCodec.MAX_FRAME_BYTES + 4, 0, 4, 0, 4),
        new StateClientHandler(context, stats, maxConnections));
  }

  private EmbeddedChannel channel() {
    return channel(AclTokenResolver.disabled(), 10);
  }

  private static AclTokenResolver aclDeny() {
    ControlView view =
        new ControlView(1, 1, "c1", "testing", List.of(), new TreeMap<>(), List.of(), 1);
    return new AclTokenResolver(true, AclPolicy.DENY, ROOT, () -> view);
  }

  private static ByteBuf frame(StateClientMessage message) {
    return frame(WireStateClientCodec.encode(message));
  }

  private static ByteBuf frame(byte[] bytes) {
    return Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes);
  }

  private static StateClientMessage read(EmbeddedChannel channel) {
    channel.runPendingTasks();
    ByteBuf out = channel.readOutbound();
    assertThat(out).as("a frame written").isNotNull();
    try {
      int length = out.readInt();
      assertThat(length).isEqualTo(out.readableBytes());
      return WireStateClientCodec.decode(ByteBufUtil.getBytes(out));
    } finally {
      out.release();
    }
  }

  private static StateClientMessage.Hello hello(String environment, String cluster, String token) {
    return new StateClientMessage.Hello(environment, cluster, "test", token);
  }

  private static void welcomed(EmbeddedChannel channel, String token) {
    channel.writeInbound(frame(hello("testing", "c1", token)));
    assertThat(read(channel)).isInstanceOf(StateClientMessage.Welcome.class);
  }

  private static void assertRefused(EmbeddedChannel channel, Refusal reason) {
    assertThat(read(channel))
        .isInstanceOfSatisfying(
            StateClientMessage.Refused.class, r -> assertThat(r.reason()).isEqualTo(reason));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void hello_welcomed_withAgentIdAndBounds() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(hello("testing", "", "")));
    StateClientMessage.Welcome welcome = (StateClientMessage.Welcome) read(channel);
    assertThat(welcome.agent()).isEqualTo("agent-1");
    assertThat(welcome.maxInFlight()).isEqualTo(1024);
    assertThat(welcome.maxFrameBytes()).isEqualTo(WireStateClientCodec.MAX_FRAME_BYTES);
    assertThat(channel.isOpen()).isTrue();
    assertThat(stats.welcomed()).isEqualTo(1);
  }

  @Test
  void wrongEnvironment_refused() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(hello("production", "", "")));
    assertRefused(channel, Refusal.WRONG_ENVIRONMENT);
    assertThat(stats.refusals(Refusal.WRONG_ENVIRONMENT)).isEqualTo(1);
  }

  @Test
  void wrongCluster_refused() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(hello("testing", "c2", "")));
    assertRefused(channel, Refusal.WRONG_CLUSTER);
  }

  @Test
  void otherVersion_refusedBadVersion() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(StateClientFrame.newBuilder().setVersion(2).build().toByteArray()));
    assertRefused(channel, Refusal.BAD_VERSION);
  }

  @Test
  void requestBeforeHello_refusedMalformed() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(new StateClientMessage.Request(1, new StateOp.Get("m", "k"), 0)));
    assertRefused(channel, Refusal.MALFORMED);
  }

  @Test
  void garbageAtHello_refusedMalformed() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(new byte[] {(byte) 0xff, (byte) 0xff}));
    assertRefused(channel, Refusal.MALFORMED);
    assertThat(stats.malformed()).isEqualTo(1);
  }

  @Test
  void beyondMaxConnections_refusedAtHello() {
    EmbeddedChannel first = channel(AclTokenResolver.disabled(), 1);
    EmbeddedChannel second = channel(AclTokenResolver.disabled(), 1);
    welcomed(first, "");
    second.writeInbound(frame(hello("testing", "c1", "")));
    assertRefused(second, Refusal.TOO_MANY_CONNECTIONS);
    assertThat(stats.connections()).isEqualTo(1);
  }

  @Test
  void requests_answeredById_inTheStoresOrder_withRoutingData() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    channel.writeInbound(
        frame(new StateClientMessage.Request(10, new StateOp.Put("m", "k", V, 0), 0)));
    channel.writeInbound(frame(new StateClientMessage.Request(11, new StateOp.Get("m", "k"), 3)));
    assertThat(store.ops).hasSize(2);
    store.answers.get(1).complete(new StateAnswer(new StateResult.Found(V, 1, 0), 3, "o", true));
    store.answers.get(0).complete(new StateAnswer(new StateResult.Written(1), 3, "o", false));

    StateClientMessage.Reply first = (StateClientMessage.Reply) read(channel);
    StateClientMessage.Reply second = (StateClientMessage.Reply) read(channel);
    assertThat(first.id()).isEqualTo(11);
    assertThat(first.result()).isInstanceOf(StateResult.Found.class);
    assertThat(first.tableVersion()).isEqualTo(3);
    assertThat(first.owner()).isEqualTo("o");
    assertThat(first.forwarded()).isTrue();
    assertThat(second.id()).isEqualTo(10);
    assertThat(second.result()).isEqualTo(new StateResult.Written(1));
    assertThat(stats.requests()).isEqualTo(2);
  }

  @Test
  void invalidOperation_answeredInvalid_connectionLives() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    byte[] bad =
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRequest(
                io.hivemind.core.wire.proto.StateClientRequest.newBuilder()
                    .setId(5)
                    .setOp(
                        io.hivemind.core.wire.proto.StateOperation.newBuilder()
                            .setKind(io.hivemind.core.wire.proto.StateOpKind.STATE_OP_GET)
                            .setMap("no/slash")
                            .setKey("k")))
            .build()
            .toByteArray();
    channel.writeInbound(frame(bad));
    StateClientMessage.Reply reply = (StateClientMessage.Reply) read(channel);
    assertThat(reply.id()).isEqualTo(5);
    assertThat(reply.error().code()).isEqualTo(ErrorCode.INVALID);
    assertThat(store.ops).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void beyondMaxInFlight_answeredOverloaded_untilAnAnswerFreesASlot() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    for (int i = 0; i < StateClientHandler.MAX_IN_FLIGHT; i++) {
      channel.writeInbound(frame(new StateClientMessage.Request(i, new StateOp.Get("m", "k"), 0)));
    }
    channel.writeInbound(frame(new StateClientMessage.Request(-7, new StateOp.Get("m", "k"), 0)));
    StateClientMessage.Reply overloaded = (StateClientMessage.Reply) read(channel);
    assertThat(overloaded.id()).isEqualTo(-7);
    assertThat(((StateResult.Unavailable) overloaded.result()).code())
        .isEqualTo(StateResult.UnavailableReason.OVERLOADED);
    assertThat(store.ops).hasSize(StateClientHandler.MAX_IN_FLIGHT);

    store.answers.get(0).complete(new StateAnswer(new StateResult.Absent(), 1, "o", false));
    assertThat(((StateClientMessage.Reply) read(channel)).id()).isZero();
    channel.writeInbound(frame(new StateClientMessage.Request(-8, new StateOp.Get("m", "k"), 0)));
    assertThat(store.ops).hasSize(StateClientHandler.MAX_IN_FLIGHT + 1);
    assertThat(stats.overloaded()).isEqualTo(1);
  }

  @Test
  void malformedAfterHello_closesWithoutRefusal() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    channel.writeInbound(frame(new byte[] {(byte) 0xff, (byte) 0xff}));
    channel.runPendingTasks();
    ByteBuf out = channel.readOutbound();
    if (out != null) {
      assertThat(out.readableBytes()).isZero();
      out.release();
    }
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void oversizeLength_closesTheConnection() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    channel.writeInbound(Unpooled.buffer().writeInt(WireStateClientCodec.MAX_FRAME_BYTES + 1));
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void storeFailure_answeredUnavailable() {
    EmbeddedChannel channel = channel();
    welcomed(channel, "");
    channel.writeInbound(frame(new StateClientMessage.Request(1, new StateOp.Get("m", "k"), 0)));
    store.answers.get(0).completeExceptionally(new IllegalStateException("closing"));
    StateClientMessage.Reply reply = (StateClientMessage.Reply) read(channel);
    assertThat(reply.result()).isInstanceOf(StateResult.Unavailable.class);
  }

  @Test
  void acl_unknownTokenRefused_noTokenDenied_managementAllowed() {
    EmbeddedChannel unknown = channel(aclDeny(), 10);
    unknown.writeInbound(frame(hello("testing", "", "not-a-token")));
    assertRefused(unknown, Refusal.ACL_DENIED);

    EmbeddedChannel anonymous = channel(aclDeny(), 10);
    welcomed(anonymous, "");
    anonymous.writeInbound(
        frame(new StateClientMessage.Request(1, new StateOp.Put("m", "k", V, 0), 0)));
    StateClientMessage.Reply denied = (StateClientMessage.Reply) read(anonymous);
    assertThat(denied.error().code()).isEqualTo(ErrorCode.ACL_DENIED);
    assertThat(denied.error().sentence()).contains("key \"state/m/k\" write");
    assertThat(store.ops).isEmpty();

    EmbeddedChannel management = channel(aclDeny(), 10);
    welcomed(management, ROOT);
    management.writeInbound(
        frame(new StateClientMessage.Request(2, new StateOp.Put("m", "k", V, 0), 0)));
    assertThat(store.ops).hasSize(1);
  }
}
