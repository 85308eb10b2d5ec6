package io.hivemind.server.http;

import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One {@code GET /v1/event/stream} connection: server-sent events (text/event-stream) from the
 * agent's replica. Each event is {@code id: <index>} and {@code data: <the UserEvent JSON>}; events
 * the log no longer retains are announced as one {@code event: missed} whose data names the first
 * retained index; a comment line every {@link #HEARTBEAT_MILLIS} keeps proxies from closing the
 * connection and finds a client that went away. The stream waits for each new view with {@link
 * ControlPlane#awaitIndexAbove}, a one-shot future it cancels when the client goes, so a closed
 * stream leaves nothing behind in the control plane.
 *
 * <p>Owning thread: the connection's event loop (views arriving on the control plane's thread are
 * handed over to it).
 */
final class EventStream {

  /** Under the 30-60 s after which proxies and load balancers commonly drop a silent connection. */
  static final long HEARTBEAT_MILLIS = 15_000;

  static final String EVENT_STREAM = "text/event-stream";

  private final ApiRequest request;
  private final ApiStream stream;
  private final ControlPlane plane;
  private long cursor;
  private CompletableFuture<ControlView> next;
  private Future<?> heartbeat;

  private EventStream(ApiRequest request, ApiStream stream, ControlPlane plane, long cursor) {
    this.request = request;
    this.stream = stream;
    this.plane = plane;
    this.cursor = cursor;
  }

  /** Opens the stream and sends the events after {@code index} that the replica holds. */
  static void start(ApiRequest request, ControlPlane plane, long index) {
    ApiStream stream = request.openStream(EVENT_STREAM);
    if (stream == null) {
      return;
    }
    EventStream events = new EventStream(request, stream, plane, index);
    events.heartbeat =
        request.onEventLoopEvery(HEARTBEAT_MILLIS, () -> stream.write(": heartbeat\n\n"));
    request.onClose(events::stop);
    stream.write(": events after index " + index + "\n\n");
    events.send(plane.view());
  }

  private void send(ControlView view) {
    if (!stream.isOpen()) {
      stop();
      return;
    }
    if (view.firstRetainedEventIndex() > cursor + 1 && view.index() > cursor) {
      stream.write(
          "event: missed\ndata: {\"FirstRetainedIndex\":"
              + view.firstRetainedEventIndex()
              + "}\n\n");
    }
    stream.write(frames(EventHandlers.after(view, cursor)));
    cursor = Math.max(cursor, view.index());
    next = plane.awaitIndexAbove(cursor);
    next.whenComplete(
        (newer, failure) -> {
          if (failure == null) {
            request.onEventLoop(() -> send(newer));
          }
        });
  }

  /** The SSE frames of {@code events}: one {@code id} and one {@code data} line each. */
  static String frames(List<ControlEvent> events) {
    StringBuilder text = new StringBuilder();
    long index = -1;
    int position = 0;
    for (ControlEvent event : events) {
      position = event.index() == index ? position + 1 : 0;
      index = event.index();
      // Hivemind's own endpoint: its events carry Hivemind's fields.
      String json = new String(ControlJson.event(event, position, true), StandardCharsets.UTF_8);
      text.append("id: ").append(index).append("\ndata: ").append(json).append("\n\n");
    }
    return text.toString();
  }

  private void stop() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (next != null) {
      next.cancel(false);
    }
  }
}
