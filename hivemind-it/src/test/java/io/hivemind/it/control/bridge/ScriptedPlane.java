package io.hivemind.it.control.bridge;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A control plane whose committed views (index and members) and admission answers (index, and when)
 * the test chooses, so it can replay what a busy replica does: skip indexes between views, and
 * answer an admission after a later view was already published.
 */
final class ScriptedPlane implements ControlPlane {

  /** An admission the bridge submitted; the test answers it through {@link #answer}. */
  record Submission(ControlCommand.AdmitMember command, CompletableFuture<ApplyResult> answer) {

    String candidateId() {
      return command.candidate().id();
    }
  }

  private final List<Consumer<ControlView>> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Submission> admissions = new LinkedBlockingQueue<>();
  private final List<Awaited> awaited = new CopyOnWriteArrayList<>();
  private volatile ControlView view = view(0, List.of());

  /**
   * Publishes a committed view at {@code index} listing {@code members}, as an apply batch does.
   */
  void publish(long index, List<ControlMember> members) {
    ControlView next = view(index, members);
    view = next;
    listeners.forEach(listener -> listener.accept(next));
    for (Awaited wait : awaited) {
      if (index > wait.index()) {
        awaited.remove(wait);
        wait.view().complete(next);
      }
    }
  }

  /** Answers {@code submission} as refused at {@code index} with {@code code}. */
  static void refuse(Submission submission, long index, RefusalCode code) {
    submission.answer().complete(new ApplyResult.Refused(index, code, "scripted " + code));
  }

  /** The next admission the bridge submits, or fails when none comes within {@code timeout}. */
  Submission nextAdmission(Duration timeout) throws InterruptedException {
    Submission next = admissions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("the bridge submitted no AdmitMember within " + timeout);
    }
    return next;
  }

  /** Admissions submitted and not taken by {@link #nextAdmission} yet. */
  int pendingAdmissions() {
    return admissions.size();
  }

  /** Answers {@code submission} as committed and applied at log index {@code index}. */
  static void answer(Submission submission, long index) {
    submission.answer().complete(new ApplyResult.Applied(index, index, List.of()));
  }

  private static ControlView view(long index, List<ControlMember> members) {
    return new ControlView(index, index, "c", "testing", members, new TreeMap<>(), List.of(), 1);
  }

  @Override
  public ControlView view() {
    return view;
  }

  @Override
  public ControlStatus status() {
    return new ControlStatus(false, "", 1, view.index(), view.index(), List.of());
  }

  @Override
  public CompletableFuture<ApplyResult> submit(ControlCommand command) {
    if (command instanceof ControlCommand.AdmitMember admit) {
      CompletableFuture<ApplyResult> answer = new CompletableFuture<>();
      admissions.add(new Submission(admit, answer));
      return answer;
    }
    // Observations and leaves are not what these tests are about: commit them at once.
    return CompletableFuture.completedFuture(
        new ApplyResult.Applied(view.index(), view.epoch(), List.of()));
  }

  @Override
  public CompletableFuture<ControlView> linearizableView() {
    return CompletableFuture.completedFuture(view);
  }

  @Override
  public CompletableFuture<ControlView> awaitIndexAbove(long index) {
    // Completed by the first view published above the index (an ID_REUSED refusal waits on it).
    ControlView now = view;
    if (now.index() > index) {
      return CompletableFuture.completedFuture(now);
    }
    Awaited wait = new Awaited(index, new CompletableFuture<>());
    awaited.add(wait);
    return wait.view();
  }

  private record Awaited(long index, CompletableFuture<ControlView> view) {}

  @Override
  public void addListener(Consumer<ControlView> listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<Void> transferLeadership(String peerId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("scripted plane"));
  }

  @Override
  public CompletableFuture<Void> removePeer(String peerId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("scripted plane"));
  }

  @Override
  public CompletableFuture<Void> addPeer(String peerId, String address) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("scripted plane"));
  }

  @Override
  public void close() {}
}
