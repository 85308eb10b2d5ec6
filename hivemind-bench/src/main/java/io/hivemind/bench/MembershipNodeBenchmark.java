package io.hivemind.bench;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipOutput;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.WireEnvironment;
import io.hivemind.core.wire.proto.WireState;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the membership core's hot paths on one thread: answering a ping (decode, ack, piggyback
 * fill), decoding a full gossip packet, and answering a push-pull of the whole cluster.
 *
 * <p>Run: {@code java -jar hivemind-bench/target/benchmarks.jar MembershipNodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MembershipNodeBenchmark {

  private static final String CLUSTER = "bench";

  @Param({"100", "1000", "5000"})
  int members;

  private MembershipNode node;
  private byte[] pingPacket;
  private byte[] gossipPacket;
  private byte[] pushPullFrame;
  private final Address peer = new Address("10.0.0.2", 7946);
  private long now = 1_000;

  @Setup
  public void setUp() {
    node =
        new MembershipNode(
            NodeIdentity.of("node-0", new Address("10.0.0.1", 7946), CLUSTER, Environment.TESTING),
            MembershipConfig.lan(),
            new SplittableRandom(42),
            new DiscardingOutput());
    node.start(0);
    PushPull.Builder state = PushPull.newBuilder();
    Packet.Builder gossip = Packet.newBuilder().setHeader(header("peer"));
    for (int i = 1; i <= members; i++) {
      MemberInfo info = member("node-" + i);
      state.addMembers(info);
      if (gossip.build().getSerializedSize() < 1_300) {
        gossip.addMessages(Message.newBuilder().setAlive(Alive.newBuilder().setMember(info)));
      }
    }
    pushPullFrame =
        StreamFrame.newBuilder().setHeader(header("peer")).setPushPull(state).build().toByteArray();
    node.onStreamRequest(peer, pushPullFrame, now);
    gossipPacket = gossip.build().toByteArray();
    pingPacket =
        Packet.newBuilder()
            .setHeader(header("node-1"))
            .addMessages(
                Message.newBuilder().setPing(Ping.newBuilder().setSeq(7).setTarget("node-0")))
            .build()
            .toByteArray();
  }

  @Benchmark
  public void answerPing() {
    node.onPacket(peer, pingPacket, now);
  }

  @Benchmark
  public void applyGossipPacketOfKnownUpdates() {
    node.onPacket(peer, gossipPacket, now);
  }

  @Benchmark
  public void answerPushPull(Blackhole hole) {
    hole.consume(node.onStreamRequest(peer, pushPullFrame, now));
  }

  private static Header header(String sender) {
    return Header.newBuilder()
        .setVersion(1)
        .setCluster(CLUSTER)
        .setEnvironment(WireEnvironment.TESTING)
        .setSender(sender)
        .build();
  }

  private static MemberInfo member(String name) {
    return MemberInfo.newBuilder()
        .setName(name)
        .setAddress(Endpoint.newBuilder().setHost("10.1.2.3").setPort(7946))
        .setIncarnation(3)
        .setState(WireState.ALIVE)
        .addRoles("catalog")
        .putTags("rack", "r12")
        .setZone("zone-a")
        .build();
  }

  /** Discards what the node sends: the benchmark measures the node, not a network. */
  private static final class DiscardingOutput implements MembershipOutput {
    @Override
    public void sendPacket(Address to, byte[] packet) {}

    @Override
    public void openStream(Address to, long streamId, byte[] request) {}

    @Override
    public void onEvent(MembershipEvent event) {}
  }
}
