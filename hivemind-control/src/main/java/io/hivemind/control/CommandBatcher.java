package io.hivemind.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlFieldRules;
import io.hivemind.core.control.KvOp;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.core.control.WireControlCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit: commands submitted while an earlier entry is being committed wait here and go out
 * together as one {@link ControlCommand.Batch} entry, so one fsynced Raft round commits many of
 * them. A lone command goes out as itself, at once: with nothing in flight nothing is held back. At
 * most {@link #MAX_IN_FLIGHT} entries of this node are in flight.
 *
 * <p>Measured (docs/benchmarks.md, "Control plane: against etcd"): without it every write was a
 * Raft round of its own, and 64 writes in flight gave a fraction of etcd's rate.
 *
 * <p>Thread-safe: submitters on any thread, completions on Ratis's client threads (or the local
 * proposer's).
 */
final class CommandBatcher {

  /**
   * One entry committing while the next fills here. Two (one committing, one more sent at once)
   * cost more CPU per write for the same rate: the second entry goes out with whatever arrived
   * meanwhile, so there are more, smaller Raft rounds. Two runs of each, back to back, 3 control
   * agents, 16 writes in flight: 1,730-1,800 us of CPU per write against 2,120-2,240 (64 in flight:
   * 445-467 against 493-523), rates and p99 within the runs' noise; each node still pipelines with
   * the others' entries in Ratis.
   */
  static final int MAX_IN_FLIGHT = 1;

  /**
   * A batch's budget of payload bytes: half the state machine's 2 MiB entry limit, so keys, headers
   * and encoding overhead never push a full batch over it.
   */
  static final int MAX_BATCH_BYTES = 1 << 20;

  /** What a reading transaction is guessed to read, for batching (see {@link #txnBytes}). */
  static final int READ_GUESS_BYTES = 16 * 1024;

  private final int maxInFlight;
  private final Function<ControlCommand, CompletableFuture<ApplyResult>> send;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param send proposes one entry's command and completes with its result
   */
  CommandBatcher(Function<ControlCommand, CompletableFuture<ApplyResult>> send) {
    this(MAX_IN_FLIGHT, send);
  }

  /**
   * @param maxInFlight entries proposed and not yet answered, at most
   * @param send proposes one entry's command and completes with its result
   */
  CommandBatcher(int maxInFlight, Function<ControlCommand, CompletableFuture<ApplyResult>> send) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.send = send;
  }

  CompletableFuture<ApplyResult> submit(ControlCommand command) {
    Pending pending = new Pending(command, new CompletableFuture<>(), false);
    synchronized (this) {
      queue.addLast(pending);
    }
    drain();
    return pending.result;
  }

  private void drain() {
    List<Pending> batch = take();
    if (batch == null) {
      return;
    }
    ControlCommand command =
        batch.size() == 1
            ? batch.get(0).command
            : new ControlCommand.Batch(batch.stream().map(p -> p.command).toList());
    CompletableFuture<ApplyResult> sent;
    try {
      sent = send.apply(command);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (result, failure) -> {
          List<Pending> again = complete(batch, result, failure);
          synchronized (this) {
            inFlight--;
            // Before anything newer: they were proposed first, and nothing of theirs changed.
            for (int i = again.size() - 1; i >= 0; i--) {
              queue.addFirst(again.get(i));
            }
          }
          drain();
        });
  }

  /** The next batch to send, or null when nothing waits or enough is in flight. */
  private synchronized List<Pending> take() {
    if (queue.isEmpty() || inFlight >= maxInFlight) {
      return null;
    }
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < ControlFieldRules.MAX_BATCH) {
      Pending next = queue.peekFirst();
      long size = payloadBytes(next.command);
      if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
        break;
      }
      boolean alone = next.alone || next.command instanceof ControlCommand.Batch;
      if (alone && !batch.isEmpty()) {
        break; // a batch is never nested, and a retried transaction needs the whole answer
      }
      queue.pollFirst();
      batch.add(next);
      bytes += size;
      if (alone) {
        break;
      }
    }
    inFlight++;
    return batch;
  }

  /**
   * Completes each command of {@code batch} with its result.
   *
   * @return the commands to propose again, alone: KV transactions whose reads did not fit in the
   *     batch's answer ({@link RefusalCode#RESULTS_FULL}); they changed nothing
   */
  private static List<Pending> complete(
      List<Pending> batch, ApplyResult result, Throwable failure) {
    List<Pending> again = new ArrayList<>();
    if (failure != null) {
      batch.forEach(p -> p.result.completeExceptionally(failure));
    } else if (batch.size() == 1) {
      batch.get(0).result.complete(result);
    } else if (result instanceof ApplyResult.Batched batched
        && batched.results().size() == batch.size()) {
      for (int i = 0; i < batch.size(); i++) {
        ApplyResult own = batched.results().get(i);
        if (own instanceof ApplyResult.Refused refused
            && refused.code() == RefusalCode.RESULTS_FULL) {
          again.add(new Pending(batch.get(i).command, batch.get(i).result, true));
        } else {
          batch.get(i).result.complete(own);
        }
      }
    } else {
      // Cannot happen with this state machine: every replica answers a batch with its results.
      IllegalStateException wrong =
          new IllegalStateException("a batch of " + batch.size() + " was answered " + result);
      batch.forEach(p -> p.result.completeExceptionally(wrong));
    }
    return again;
  }

  private static long payloadBytes(ControlCommand command) {
    if (command instanceof ControlCommand.KvSet set) {
      return set.key().length() + set.valueLength() + 64L;
    }
    if (command instanceof ControlCommand.KvLock lock) {
      return lock.key().length() + lock.valueLength() + 64L;
    }
    if (command instanceof ControlCommand.KvTxn txn) {
      return txnBytes(txn);
    }
    if (command instanceof ControlCommand.AppendEvent event) {
      return event.type().length() + event.source().length() + event.payload().length + 64L;
    }
    if (command instanceof ControlCommand.ReportObservations report) {
      return 128L * report.observations().size() + 64L;
    }
    if (command instanceof ControlCommand.CatalogRegister register) {
      // From 100 bytes to about 500 KB (32 checks' texts): measured, so a batch stays below 2 MiB.
      return WireControlCodec.encodeEntry(ControlEntry.of(0, register)).length + 64L;
    }
    return 512;
  }

  /**
   * A transaction's operations, and, when it reads, a guess at what it reads. The guess only shapes
   * batches: the state machine keeps a batch's reads within its answer's budget and refuses
   * (RESULTS_FULL) a transaction that does not fit, which goes out again alone.
   */
  private static long txnBytes(ControlCommand.KvTxn txn) {
    long bytes = 64;
    boolean reads = false;
    for (KvOp op : txn.ops()) {
      bytes += 3L * op.key().length() + op.valueLength() + 64L;
      reads |= op.verb() == KvOp.Verb.GET || op.verb() == KvOp.Verb.GET_TREE;
    }
    return reads ? bytes + READ_GUESS_BYTES : bytes;
  }

  /** A command waiting to be proposed; {@code alone}: in an entry of its own. */
  private record Pending(
      ControlCommand command, CompletableFuture<ApplyResult> result, boolean alone) {}
}
