package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientRefusal;
import io.hivemind.core.wire.proto.StateClientRefused;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateClientWelcome;
import io.hivemind.core.wire.proto.StateOperationResult;
import io.hivemind.core.wire.proto.StateResultKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's logic over in-memory pipes (no sockets): the handshake, pipelining, replies out
 * of order, the in-flight bound, a failure failing every pending call, timeouts. The fake agent is
 * the test thread reading and writing protobuf's generated frames.
 */
class StateConnectionTest {

  private static final int MAX_FRAME = (1 << 20) + (64 << 10);

  private final AtomicLong nanos = new AtomicLong();
  private final Pipes pipes = new Pipes();
  private StateConnection connection;

  @AfterEach
  void close() {
    if (connection != null) {
      connection.close();
    }
  }

  @Test
  void open_sendsHello_andReturnsWithTheWelcome() throws Exception {
    CompletableFuture<StateConnection> opening = openAsync();
    StateClientFrame hello = pipes.agentReads();
    assertThat(hello.getHello().getEnvironment()).isEqualTo("development");
    assertThat(hello.getHello().getToken()).isEqualTo("tok");
    pipes.agentWrites(welcome(1024));
    connection = opening.get(5, TimeUnit.SECONDS);
    assertThat(connection.welcome().maxInFlight()).isEqualTo(1024);
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void open_refused_throwsTheReasonAndClosesTheChannel() throws Exception {
    CompletableFuture<StateConnection> opening = openAsync();
    pipes.agentReads();
    pipes.agentWrites(
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRefused(
                StateClientRefused.newBuilder()
                    .setReason(StateClientRefusal.STATE_CLIENT_REFUSAL_WRONG_ENVIRONMENT)
                    .setSentence("this agent serves testing"))
            .build());
    assertThatThrownBy(() -> opening.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StateConnection.Refused.class)
        .hasMessageContaining("serves testing")
        .hasMessageContaining("wrong_environment");
    StateConnection.Refused refused = (StateConnection.Refused) cause(opening);
    assertThat(refused.retryable()).isFalse();
    assertThat(pipes.channel.closed()).isTrue();
  }

  @Test
  void calls_arePipelined_andRepliesMatchedByIdInAnyOrder() throws Exception {
    connection = established(1024);
    List<CompletableFuture<StateReply>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(connection.call(StateRequest.get("m", "k" + i), 7));
    }
    // All three arrive before any is answered: nobody waits for a reply to send.
    List<StateClientRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      requests.add(pipes.agentReads().getRequest());
    }
    assertThat(requests).extracting(r -> r.getOp().getKey()).containsExactly("k0", "k1", "k2");
    assertThat(requests).allSatisfy(r -> assertThat(r.getRoutedVersion()).isEqualTo(7));
    for (int i = 2; i >= 0; i--) {
      pipes.agentWrites(written(requests.get(i).getId(), 100 + i));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(calls.get(i).get(5, TimeUnit.SECONDS).outcome())
          .isEqualTo(new StateReply.Written(100 + i));
    }
    assertThat(connection.pendingCalls()).isZero();
    assertThat(connection.inFlight()).isZero();
  }

  @Test
  void calls_beyondMaxInFlight_waitForAReply() throws Exception {
    connection = established(2);
    List<CompletableFuture<StateReply>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(connection.call(StateRequest.delete("m", "k" + i), 0));
    }
    StateClientRequest first = pipes.agentReads().getRequest();
    pipes.agentReads();
    assertThat(connection.inFlight()).isEqualTo(2);
    assertThat(connection.pendingCalls()).isEqualTo(4);
    pipes.agentWrites(written(first.getId(), 1));
    calls.get(0).get(5, TimeUnit.SECONDS);
    StateClientRequest third = pipes.agentReads().getRequest();
    assertThat(third.getOp().getKey()).isEqualTo("k2");
    assertThat(connection.inFlight()).isLessThanOrEqualTo(2);
  }

  @Test
  void failure_failsEveryPendingCall_sayingWhetherItWasWritten() throws Exception {
    connection = established(1);
    CompletableFuture<StateReply> written = connection.call(StateRequest.get("m", "a"), 0);
    CompletableFuture<StateReply> queued = connection.call(StateRequest.get("m", "b"), 0);
    pipes.agentReads();
    pipes.agentHangsUp();
    assertThat(brokenOf(written).written()).isTrue();
    assertThat(brokenOf(queued).written()).isFalse();
    assertThat(connection.isOpen()).isFalse();
    CompletableFuture<StateReply> late = connection.call(StateRequest.get("m", "c"), 0);
    assertThat(brokenOf(late).written()).isFalse();
  }

  @Test
  void malformedReply_failsTheConnection() throws Exception {
    connection = established(8);
    CompletableFuture<StateReply> call = connection.call(StateRequest.get("m", "a"), 0);
    pipes.agentReads();
    pipes.agentWritesRaw(new byte[] {0, 0, 0, 3, 0x08, 0x01, 0x32});
    assertThat(brokenOf(call).getCause()).hasMessageContaining("malformed");
  }

  @Test
  void expire_failsOverdueCalls_withTimeout_andFreesTheirPermit() throws Exception {
    connection = established(1);
    CompletableFuture<StateReply> slow = connection.call(StateRequest.get("m", "a"), 0);
    pipes.agentReads();
    connection.expire(nanos.get() + Duration.ofSeconds(9).toNanos());
    assertThat(slow).isNotDone();
    connection.expire(nanos.get() + Duration.ofSeconds(10).toNanos());
    assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> assertThat(e.code()).isEqualTo(HivemindClientException.TIMEOUT));
    assertThat(connection.inFlight()).isZero();
    // The permit is back: the next call is written.
    CompletableFuture<StateReply> next = connection.call(StateRequest.get("m", "b"), 0);
    StateClientRequest request = pipes.agentReads().getRequest();
    pipes.agentWrites(
        reply(
            request.getId(),
            StateOperationResult.newBuilder().setKind(StateResultKind.STATE_RESULT_ABSENT)));
    assertThat(next.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(new StateReply.Absent());
  }

  @Test
  void request_longerThanTheAgentReads_failsUnwritten() throws Exception {
    connection = established(8, 2048);
    CompletableFuture<StateReply> call =
        connection.call(StateRequest.write("m", "k", new byte[4096], 0, -1), 0);
    assertThat(brokenOf(call).written()).isFalse();
    assertThat(connection.isOpen()).isTrue();
  }

  private StateConnection established(int maxInFlight) throws Exception {
    return established(maxInFlight, MAX_FRAME);
  }

  private StateConnection established(int maxInFlight, int maxFrame) throws Exception {
    CompletableFuture<StateConnection> opening = openAsync();
    pipes.agentReads();
    pipes.agentWrites(
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setWelcome(
                StateClientWelcome.newBuilder()
                    .setAgent("n1")
                    .setMaxInFlight(maxInFlight)
                    .setMaxFrameBytes(maxFrame))
            .build());
    return opening.get(5, TimeUnit.SECONDS);
  }

  private CompletableFuture<StateConnection> openAsync() {
    byte[] hello = StateClientFrames.hello("development", "", "test", "tok");
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return StateConnection.open(
                "n1:7367", pipes.channel, hello, Duration.ofSeconds(10), nanos::get);
          } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  private static StateConnection.Broken brokenOf(CompletableFuture<StateReply> call)
      throws InterruptedException {
    Throwable cause = cause(call);
    assertThat(cause).isInstanceOf(StateConnection.Broken.class);
    return (StateConnection.Broken) cause;
  }

  private static Throwable cause(CompletableFuture<?> future) throws InterruptedException {
    try {
      future.get(5, TimeUnit.SECONDS);
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      return StateCalls.unwrap(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not completed", e);
    }
  }

  private static StateClientFrame welcome(int maxInFlight) {
    return StateClientFrame.newBuilder()
        .setVersion(1)
        .setWelcome(
            StateClientWelcome.newBuilder()
                .setAgent("n1")
                .setMaxInFlight(maxInFlight)
                .setMaxFrameBytes(MAX_FRAME))
        .build();
  }

  private static StateClientFrame written(long id, long version) {
    return reply(
        id,
        StateOperationResult.newBuilder()
            .setKind(StateResultKind.STATE_RESULT_WRITTEN)
            .setVersion(version));
  }

  private static StateClientFrame reply(long id, StateOperationResult.Builder result) {
    return StateClientFrame.newBuilder()
        .setVersion(1)
        .setReply(StateClientReply.newBuilder().setId(id).setResult(result).setTableVersion(3))
        .build();
  }

  /** The client's channel, and the fake agent (the test thread) reading and writing frames. */
  private static final class Pipes {
    final PipeChannel channel = new PipeChannel();
    private final DataInputStream agentReader = new DataInputStream(channel.agentIn());
    private final DataOutputStream agentWriter = new DataOutputStream(channel.agentOut());

    StateClientFrame agentReads() throws IOException {
      byte[] frame = new byte[agentReader.readInt()];
      agentReader.readFully(frame);
      return StateClientFrame.parseFrom(frame);
    }

    void agentWrites(StateClientFrame frame) throws IOException {
      byte[] bytes = frame.toByteArray();
      agentWriter.writeInt(bytes.length);
      agentWriter.write(bytes);
      agentWriter.flush();
    }

    void agentWritesRaw(byte[] bytes) throws IOException {
      agentWriter.write(bytes);
      agentWriter.flush();
    }

    void agentHangsUp() throws IOException {
      agentWriter.close();
    }
  }
}
