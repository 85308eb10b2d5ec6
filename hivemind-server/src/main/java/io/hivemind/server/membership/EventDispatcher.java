package io.hivemind.server.membership;

import io.hivemind.core.membership.MembershipEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands membership events to whoever waits for them: futures of pending leaves, and the listeners
 * of the service (the first of them the service's {@link Joins}, which completes pending joins).
 *
 * <p>Owning thread: the node's event loop calls {@link #dispatch}, {@link #awaitLeave} and {@link
 * #failAll}, after a call into the node has returned, never from inside one. Listeners may be added
 * and removed from any thread (a copy-on-write list: they change rarely and are read on every
 * event).
 */
final class EventDispatcher {

  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> leaveWaiters = new ArrayList<>();

  void addListener(Consumer<MembershipEvent> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<MembershipEvent> listener) {
    listeners.remove(listener);
  }

  /** Completes {@code left} at {@code LOCAL_LEFT}. */
  void awaitLeave(CompletableFuture<Void> left) {
    leaveWaiters.add(left);
  }

  void dispatch(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.LOCAL_LEFT) {
      leaveWaiters.forEach(waiter -> waiter.complete(null));
      leaveWaiters.clear();
    }
    for (Consumer<MembershipEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException | Error e) {
        // A listener's bug must not stop the node: the next event still goes to every listener.
        log.warn("membership listener {} failed on {}", listener, event.type(), e);
      }
    }
  }

  /** Fails every pending leave (the service is closing). */
  void failAll(Throwable cause) {
    leaveWaiters.forEach(waiter -> waiter.completeExceptionally(cause));
    leaveWaiters.clear();
  }
}
