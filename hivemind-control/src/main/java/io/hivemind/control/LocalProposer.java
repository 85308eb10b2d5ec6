package io.hivemind.control;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;

/**
 * Proposes an entry straight to this node's own Raft division when it is the leader, instead of
 * through a {@link org.apache.ratis.client.RaftClient}: the client would send the entry over gRPC
 * to the server in the same JVM (serialize, a loopback HTTP/2 round trip, deserialize, and its
 * ordered window's bookkeeping), and its reply back the same way. Measured with
 * hivemind-bench/scripts/etcd-vs-control.sh (docs/benchmarks.md, "Control plane: against etcd").
 *
 * <p>Requests carry one {@link ClientId} of this node's own and increasing call ids, so Ratis's
 * retry cache tells them apart from every other client's. A reply that says this node is no longer
 * the leader (or not ready yet) is the caller's cue to go through the client instead.
 *
 * <p>Thread-safe. Ratis's {@code RaftServer.submitClientRequestAsync} blocks its caller until the
 * entry is appended (it runs on Ratis's client executor and joins it), so submissions run on one
 * thread of their own ({@code hivemind-control-propose-<node>}), never on a Netty event loop or a
 * Ratis thread; replies complete there too, so a caller's callbacks never run on Ratis's state
 * machine updater.
 */
final class LocalProposer implements AutoCloseable {

  private final RaftGroupId groupId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final ExecutorService thread;

  LocalProposer(String nodeId, RaftGroupId groupId) {
    this.groupId = groupId;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "hivemind-control-propose-" + nodeId);
              t.setDaemon(true);
              return t;
            });
  }

  /** Whether {@code division} leads now and can take a proposal without a round trip. */
  static boolean leads(RaftServer.Division division) {
    return division.getInfo().isLeader() && division.getInfo().isLeaderReady();
  }

  /**
   * Submits {@code message} as a write to {@code server}'s division of this group; completes with
   * Ratis's reply (which may say "not the leader"), or exceptionally when the server refused it.
   */
  CompletableFuture<RaftClientReply> submit(RaftServer server, Message message) {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(server.getId())
            .setGroupId(groupId)
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(RaftClientRequest.writeRequestType())
            .build();
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    submitted.incrementAndGet();
    try {
      thread.execute(() -> send(server, request, reply));
    } catch (RejectedExecutionException closed) {
      reply.completeExceptionally(new IllegalStateException("control plane closed"));
    }
    return reply;
  }

  private void send(
      RaftServer server, RaftClientRequest request, CompletableFuture<RaftClientReply> reply) {
    try {
      server
          .submitClientRequestAsync(request)
          .whenCompleteAsync(
              (answer, failure) -> {
                if (failure != null) {
                  reply.completeExceptionally(failure);
                } else {
                  reply.complete(answer);
                }
              },
              this::completeOnOwnThread);
    } catch (IOException | RuntimeException e) {
      reply.completeExceptionally(e);
    }
  }

  /** Runs a completion on this proposer's thread, or in place once it is closed. */
  private void completeOnOwnThread(Runnable completion) {
    try {
      thread.execute(completion);
    } catch (RejectedExecutionException closed) {
      completion.run();
    }
  }

  /** Proposals submitted this way so far. */
  long submitted() {
    return submitted.get();
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
