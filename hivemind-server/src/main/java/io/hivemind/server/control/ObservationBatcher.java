package io.hivemind.server.control;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.Observation;
import io.hivemind.server.loop.DriverLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a node's own probe observations to the control plane for the removal rule, batched: one
 * {@link ControlCommand.ReportObservations} submit per interval rather than one per probe, so that
 * 1,000 agents reporting cost the leader a few entries a second, not thousands. Works on any {@link
 * ControlPlane} (a control node's, or a plain agent's {@link FollowerControlPlane}).
 *
 * <p>Within a batch only the latest observation of each (observer, subject) pair is kept: a later
 * one supersedes it for the rule anyway. When the plane cannot commit (degraded) the batch is kept,
 * under any newer report of the same pair, and sent again with one batch in flight at a time: a
 * member that died while there was no quorum is never probed again once gossip marks it DEAD, so
 * the reports made then are the only ones the removal rule will get about it. The batch stays
 * bounded by {@code maxBatch}; the oldest reports go first.
 *
 * <p>Owning thread: the {@link DriverLoop} given to the constructor; {@link #report} may be called
 * from any thread.
 */
public final class ObservationBatcher implements AutoCloseable {

  /**
   * Short against the removal rule's confirmation time (1 s), long enough to batch a probe round.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

  /** Bounds a batch whatever happens (a node suspecting a whole partition at once). */
  public static final int DEFAULT_MAX_BATCH = 1_000;

  private final ControlPlane plane;
  private final DriverLoop loop;
  private final long intervalMillis;
  private final int maxBatch;
  private final Map<String, Observation> batch = new LinkedHashMap<>();
  private final LongAdder submitted = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private DriverLoop.Scheduled flush;
  private boolean inFlight;
  private boolean closed;

  public ObservationBatcher(ControlPlane plane, DriverLoop loop, Duration interval, int maxBatch) {
    this.plane = Objects.requireNonNull(plane, "plane");
    this.loop = Objects.requireNonNull(loop, "loop");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    this.intervalMillis = interval.toMillis();
    this.maxBatch = maxBatch;
  }

  /** Queues {@code observation} for the next batch. */
  public void report(Observation observation) {
    Objects.requireNonNull(observation, "observation");
    try {
      loop.execute(() -> add(observation));
    } catch (RejectedExecutionException e) {
      dropped.increment(); // the loop is gone: the agent is closing
    }
  }

  private void add(Observation observation) {
    if (closed) {
      return;
    }
    String key = observation.observer() + '\n' + observation.subject();
    if (!batch.containsKey(key) && batch.size() >= maxBatch) {
      dropped.increment();
      return;
    }
    batch.remove(key); // re-inserted last: the batch keeps the order of the latest reports
    batch.put(key, observation);
    if (flush == null) {
      flush = loop.schedule(this::flush, intervalMillis);
    }
  }

  private void flush() {
    flush = null;
    if (batch.isEmpty() || inFlight) {
      return;
    }
    var observations = new ArrayList<>(batch.values());
    batch.clear();
    inFlight = true;
    plane
        .submit(new ControlCommand.ReportObservations(observations))
        .whenComplete(
            (result, failure) -> {
              try {
                loop.execute(() -> settled(observations, failure));
              } catch (RejectedExecutionException e) {
                dropped.add(observations.size()); // the loop is gone: the agent is closing
              }
            });
  }

  /**
   * A batch the control plane did not commit (no quorum) is kept, under any newer report of the
   * same observer and subject, and sent again: a member that died while the cluster had no quorum
   * is never probed again once gossip declares it dead, so these reports are the only ones the
   * removal rule will ever get about it. One batch in flight at a time bounds the resending.
   */
  private void settled(List<Observation> observations, Throwable failure) {
    inFlight = false;
    if (failure == null) {
      submitted.add(observations.size());
    } else if (!closed) {
      for (Observation observation : observations) {
        batch.putIfAbsent(observation.observer() + '\n' + observation.subject(), observation);
      }
      while (batch.size() > maxBatch) {
        batch.remove(batch.keySet().iterator().next());
        dropped.increment();
      }
    } else {
      dropped.add(observations.size());
    }
    if (!closed && !batch.isEmpty() && flush == null) {
      flush = loop.schedule(this::flush, intervalMillis);
    }
  }

  /** Observations the control plane accepted (committed, whatever the rule then decided). */
  public long submitted() {
    return submitted.sum();
  }

  /** Observations dropped: degraded, a full batch, or closing. */
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public void close() {
    try {
      loop.execute(
          () -> {
            closed = true;
            if (flush != null) {
              flush.cancel();
              flush = null;
            }
            dropped.add(batch.size());
            batch.clear();
          });
    } catch (RejectedExecutionException e) {
      // the loop is gone already, and the batch with it
    }
  }
}
