package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.GatewayError;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.server.catalog.CatalogLink;
import io.hivemind.server.catalog.CatalogLinks;
import io.hivemind.server.catalog.LinkScope;
import io.hivemind.server.control.CommittedLog;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.server.control.FeedHub;
import io.hivemind.server.control.FeedSink;
import io.hivemind.server.control.NoQuorumException;
import io.hivemind.server.control.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One follower's connection on an embedded channel: the feed, requests, and bad input. */
class GatewayServerHandlerTest {

  private static final int MAX_PENDING = 2;

  /** The gateway's environment; every follower here declares it unless a test says otherwise. */
  private static final String ENV = "testing";

  private final Log log = new Log();
  private final GatewayServerStats stats = new GatewayServerStats();
  private final EncodedFeed feed = new EncodedFeed(16);
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final Links links = new Links();

  GatewayServerHandlerTest() {
    GatewayServerConfig config =
        new GatewayServerConfig(
            "127.0.0.1",
            0,
            1_024,
            Duration.ofSeconds(1),
            10,
            MAX_PENDING,
            1 << 20,
            Duration.ofSeconds(5),
            8L << 20,
            16,
            ENV);
    GatewayFrames.installDecoder(channel.pipeline(), config.maxInboundFrameBytes());
    channel
        .pipeline()
        .addLast(
            new GatewayServerHandler(
                config,
                log,
                feed,
                stats,
                new FollowerChannels(10, channel.eventLoop()),
                links,
                null));
    channel.pipeline().fireChannelActive();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    feed.close();
  }

  @Test
  void follow_getsAHeartbeatThenTheRetainedEntriesThenLiveOnes() throws Exception {
    log.hub.publish(1, new byte[] {1});
    log.hub.publish(2, new byte[] {2});

    send(new GatewayMessage.Follow(1, "", ENV));
    log.hub.publish(3, new byte[] {3});

    List<GatewayMessage> messages = received();
    assertThat(messages).element(0).isInstanceOf(GatewayMessage.Heartbeat.class);
    assertThat(messages.subList(1, messages.size()))
        .extracting(m -> ((GatewayMessage.Entry) m).index())
        .containsExactly(2L, 3L);
    assertThat(stats.entriesSent()).isEqualTo(2);
  }

  @Test
  void secondFollow_closesTheConnectionAndIsCounted() {
    send(new GatewayMessage.Follow(0, "", ENV));
    send(new GatewayMessage.Follow(0, "", ENV));
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.unexpected()).isEqualTo(1);
    assertThat(log.hub.subscribers()).isZero(); // the subscription ended with the connection
  }

  @Test
  void requestsPastTheCap_areAnsweredTooManyRequests() throws Exception {
    send(new GatewayMessage.ReadIndex(1));
    send(new GatewayMessage.ReadIndex(2));
    send(new GatewayMessage.ReadIndex(3));

    assertThat(received())
        .containsExactly(
            new GatewayMessage.Failure(
                3, GatewayError.TOO_MANY_REQUESTS, "2 requests are in flight"));
    log.reads.get(0).complete(log.view);
    assertThat(received()).containsExactly(new GatewayMessage.ReadIndexResult(1, 7));
    send(new GatewayMessage.ReadIndex(4)); // room again
    assertThat(received()).isEmpty();
    assertThat(log.reads).hasSize(3);
  }

  @Test
  void submit_ofACommandOnlyTheLeaderProposes_refusedAndCountedNotProposed() throws Exception {
    byte[] tick = WireControlCodec.encodeEntry(ControlEntry.of(0, new ControlCommand.Tick()));
    send(new GatewayMessage.Submit(1, tick));

    List<GatewayMessage> answers = received();
    assertThat(answers).hasSize(1);
    GatewayMessage.Failure failure = (GatewayMessage.Failure) answers.get(0);
    assertThat(failure.code()).isEqualTo(GatewayError.INVALID_REQUEST);
    assertThat(failure.message()).contains("Tick", "only the leader");
    assertThat(log.submits).isEmpty();
    assertThat(stats.leaderOnlyRefused()).isEqualTo(1);
    assertThat(channel.isActive()).isTrue(); // refused, not cut off: the follower may go on
  }

  @Test
  void submit_answersTheResultOrTheErrorCode() throws Exception {
    byte[] entry =
        WireControlCodec.encodeEntry(
            ControlEntry.of(0, new ControlCommand.KvSet("k", new byte[] {1}, 0, 0)));
    send(new GatewayMessage.Submit(3, new byte[] {(byte) 0xff}));
    send(new GatewayMessage.Submit(1, entry));
    send(new GatewayMessage.Submit(2, entry));

    log.submits.get(0).complete(new ApplyResult.Applied(8, 1, List.of()));
    log.submits.get(1).completeExceptionally(new NoQuorumException("no leader"));

    List<GatewayMessage> answers = received();
    assertThat(answers).hasSize(3);
    assertThat(((GatewayMessage.Failure) answers.get(0)).code())
        .isEqualTo(GatewayError.INVALID_REQUEST);
    assertThat(
            WireControlCodec.decodeResult(
                ((GatewayMessage.SubmitResult) answers.get(1)).resultBytes()))
        .isEqualTo(new ApplyResult.Applied(8, 1, List.of()));
    assertThat(answers.get(2))
        .isEqualTo(new GatewayMessage.Failure(2, GatewayError.NO_QUORUM, "no leader"));
  }

  @Test
  void undecodableFrame_closesAndIsCounted() {
    channel.writeInbound(frame(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.malformed()).isEqualTo(1);
  }

  @Test
  void oversizedFrame_closesBeforeItsBytesArrive() {
    ByteBuf length = Unpooled.buffer(4).writeInt(2_000);
    channel.writeInbound(length);
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.oversized()).isEqualTo(1);
  }

  @Test
  void followWithNodeId_opensAFollowerLinkThatCarriesCatalogueFramesBothWays() throws Exception {
    send(new GatewayMessage.Follow(0, "node-a", ENV));
    assertThat(links.attached).hasSize(1);
    CatalogLink link = links.attached.get(0);
    assertThat(link.scope()).isEqualTo(LinkScope.FOLLOWER);
    assertThat(link.peerId()).isEqualTo("node-a");
    send(new GatewayMessage.Catalog(new byte[] {7, 8}));
    assertThat(links.frames).containsExactly(new byte[] {7, 8});
    received(); // the heartbeat
    link.send(new byte[] {9});
    assertThat(((GatewayMessage.Catalog) received().get(0)).frameBytes()).containsExactly(9);
    channel.close();
    assertThat(links.detached).containsExactly(link);
  }

  @Test
  void catalogueFrameWithoutALink_isDroppedAndCountedButTheFeedGoesOn() {
    send(new GatewayMessage.Follow(0, "", ENV)); // a follower that declared no id
    send(new GatewayMessage.Catalog(new byte[] {1}));
    assertThat(links.frames).isEmpty();
    assertThat(stats.catalogDropped()).isEqualTo(1);
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void meshPeer_isAcceptedOnlyFromAControlNode() {
    send(new GatewayMessage.MeshPeer("impostor", ENV));
    assertThat(channel.isActive()).isFalse();
    assertThat(links.attached).isEmpty();
    assertThat(stats.unexpected()).isEqualTo(1);
  }

  @Test
  void meshPeer_fromAControlNode_opensAMeshLink() {
    links.controlPeers.add("control-2");
    send(new GatewayMessage.MeshPeer("control-2", ENV));
    assertThat(channel.isActive()).isTrue();
    assertThat(links.attached).extracting(CatalogLink::scope).containsExactly(LinkScope.MESH);
    send(new GatewayMessage.Follow(0, "control-2", ENV)); // one declaration per connection
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void followOfAnotherEnvironment_isRefusedWithAReasonThenClosed() throws Exception {
    send(new GatewayMessage.Follow(0, "node-a", "staging"));
    List<GatewayMessage> answers = received();
    assertThat(answers)
        .singleElement()
        .isInstanceOfSatisfying(
            GatewayMessage.Failure.class,
            f -> {
              assertThat(f.requestId()).isZero();
              assertThat(f.code()).isEqualTo(GatewayError.WRONG_ENVIRONMENT);
              assertThat(f.message())
                  .isEqualTo(
                      "follower node-a is of environment 'staging', this control gateway serves"
                          + " 'testing'");
            });
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.wrongEnvironment()).isEqualTo(1);
    assertThat(log.hub.subscribers()).isZero(); // never fed
    assertThat(links.attached).isEmpty(); // nor linked to the catalogue
  }

  @Test
  void followOfAnOlderVersion_withoutAnEnvironment_isRefused() throws Exception {
    send(new GatewayMessage.Follow(0, "node-a"));
    assertThat(((GatewayMessage.Failure) received().get(0)).message())
        .startsWith("follower node-a declared no environment");
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.wrongEnvironment()).isEqualTo(1);
    assertThat(log.hub.subscribers()).isZero();
  }

  @Test
  void meshPeerOfAnotherEnvironment_isRefusedEvenFromAControlNode() throws Exception {
    links.controlPeers.add("control-2");
    send(new GatewayMessage.MeshPeer("control-2", "production"));
    assertThat(((GatewayMessage.Failure) received().get(0)).code())
        .isEqualTo(GatewayError.WRONG_ENVIRONMENT);
    assertThat(channel.isActive()).isFalse();
    assertThat(links.attached).isEmpty();
  }

  @Test
  void requestsAfterARefusedHandshake_areNotServed() throws Exception {
    // Both frames in one read: the second arrives before the close has taken effect.
    ByteBuf both =
        Unpooled.wrappedBuffer(
            frame(
                io.hivemind.core.control.WireGatewayCodec.encode(
                    new GatewayMessage.Follow(0, "node-a", "staging"))),
            frame(
                io.hivemind.core.control.WireGatewayCodec.encode(new GatewayMessage.ReadIndex(1))));
    channel.writeInbound(both);
    channel.runPendingTasks();
    assertThat(received())
        .singleElement()
        .extracting(m -> ((GatewayMessage.Failure) m).code())
        .isEqualTo(GatewayError.WRONG_ENVIRONMENT);
    assertThat(stats.requests()).isZero();
  }

  private void send(GatewayMessage message) {
    channel.writeInbound(frame(io.hivemind.core.control.WireGatewayCodec.encode(message)));
    channel.runPendingTasks();
  }

  private static ByteBuf frame(byte[] body) {
    return Unpooled.buffer().writeInt(body.length).writeBytes(body);
  }

  /** Everything written to the follower since the last call, decoded. */
  private List<GatewayMessage> received() throws Exception {
    channel.runPendingTasks();
    List<GatewayMessage> messages = new ArrayList<>();
    ByteBuf frame;
    while ((frame = channel.readOutbound()) != null) {
      try {
        assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
        messages.add(GatewayFrames.decode(frame));
      } finally {
        frame.release();
      }
    }
    return messages;
  }

  /** The replication's side, recorded. */
  private static final class Links implements CatalogLinks {
    final List<CatalogLink> attached = new ArrayList<>();
    final List<CatalogLink> detached = new ArrayList<>();
    final List<byte[]> frames = new ArrayList<>();
    final java.util.Set<String> controlPeers = new java.util.HashSet<>();

    @Override
    public void attach(CatalogLink link) {
      attached.add(link);
    }

    @Override
    public void received(CatalogLink link, byte[] frame) {
      frames.add(frame);
    }

    @Override
    public void detached(CatalogLink link) {
      detached.add(link);
    }

    @Override
    public boolean isControlPeer(String nodeId) {
      return controlPeers.contains(nodeId);
    }

    @Override
    public boolean isAdmitted(String nodeId) {
      return true;
    }
  }

  /** A committed log whose submits and reads the test completes by hand. */
  private static final class Log implements CommittedLog, ControlPlane {
    final FeedHub hub = new FeedHub(100);
    final List<CompletableFuture<ApplyResult>> submits = new ArrayList<>();
    final List<CompletableFuture<ControlView>> reads = new ArrayList<>();
    final ControlView view =
        new ControlView(7, 1, "c1", "testing", List.of(), new java.util.TreeMap<>(), List.of(), 0);

    @Override
    public ControlPlane plane() {
      return this;
    }

    @Override
    public Subscription follow(long afterIndex, FeedSink sink) {
      return hub.follow(afterIndex, sink);
    }

    @Override
    public ControlView view() {
      return view;
    }

    @Override
    public ControlStatus status() {
      return new ControlStatus(false, "127.0.0.1:7303", 1, 7, 7, List.of());
    }

    @Override
    public CompletableFuture<ApplyResult> submit(ControlCommand command) {
      CompletableFuture<ApplyResult> future = new CompletableFuture<>();
      submits.add(future);
      return future;
    }

    @Override
    public CompletableFuture<ControlView> linearizableView() {
      CompletableFuture<ControlView> future = new CompletableFuture<>();
      reads.add(future);
      return future;
    }

    @Override
    public CompletableFuture<ControlView> awaitIndexAbove(long index) {
      return new CompletableFuture<>();
    }

    @Override
    public void addListener(Consumer<ControlView> listener) {}

    @Override
    public CompletableFuture<Void> transferLeadership(String peerId) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> removePeer(String peerId) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> addPeer(String peerId, String address) {
      return new CompletableFuture<>();
    }

    @Override
    public void close() {}
  }
}
