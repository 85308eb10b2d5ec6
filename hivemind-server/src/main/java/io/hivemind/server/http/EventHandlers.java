package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlView;
import java.util.List;

/**
 * The event log: {@code GET /v1/event/list} (Consul's shape, blocking with {@code index} and {@code
 * wait}), {@code PUT /v1/event/fire/{name}} (appends an event through the control plane) and {@code
 * GET /v1/event/stream} (server-sent events, {@link EventStream}). How the log's events map to
 * Consul's user events: {@code io.hivemind.api.UserEvent}. Runs on the HTTP event loop.
 */
final class EventHandlers {

  private static final String NO_FILTERS =
      "events go to every agent; filter on the receiving side by Name";

  /** The query flag that adds Hivemind's fields to Consul's event shape. */
  static final String DETAIL = "detail";

  private final AgentOperations agent;

  EventHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /**
   * {@code GET /v1/event/list[?name=N][&index=I&wait=D][&detail]}: the retained events, oldest
   * first, in Consul's shape ({@code ?detail}: with Hivemind's fields, {@link ControlJson#events}).
   */
  void list(ApiRequest request) {
    String name = request.queryParam("name");
    boolean detail = QueryParams.flag(request, DETAIL);
    ControlReads.read(
        request,
        agent.control(),
        view -> {
          List<ControlEvent> events =
              view.events().stream()
                  .filter(e -> name == null || name.isEmpty() || e.type().equals(name))
                  .toList();
          return ControlReply.json(200, ControlJson.events(events, detail));
        });
  }

  /**
   * {@code PUT /v1/event/fire/{name}[?detail]}: the body is the payload; answers the appended
   * event, shaped as {@link #list} says.
   */
  void fire(ApiRequest request) {
    String name = request.pathParam("name");
    QueryParams.refuse(request, NO_FILTERS, "node", "service", "tag");
    String source = agent.self().name();
    ControlAnswers.onCompletion(
        request,
        agent
            .control()
            .submit(
                new ControlCommand.AppendEvent(name, source, request.body()),
                ApiAcl.presented(request)),
        "event_failed",
        result -> answerFired(request, result, name));
  }

  /** {@code GET /v1/event/stream[?index=I]} (or {@code Last-Event-ID}): see {@link EventStream}. */
  void stream(ApiRequest request) {
    long from = QueryParams.nonNegative(request, "index", -1);
    if (from < 0) {
      from = lastEventId(request);
    }
    EventStream.start(request, agent.control(), from);
  }

  private static void answerFired(ApiRequest request, ApplyResult result, String name) {
    if (result instanceof ApplyResult.Refused refused) {
      throw ControlAnswers.refused(refused);
    }
    List<ControlEvent> events = ((ApplyResult.Applied) result).events();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).type().equals(name)) {
        request.json(200, ControlJson.event(events.get(i), i, QueryParams.flag(request, DETAIL)));
        return;
      }
    }
    throw new IllegalStateException(
        "the control plane applied event " + name + " at " + result.index() + " but logged none");
  }

  /** The SSE reconnect header: the id of the last event the client saw, else 0 (everything). */
  private static long lastEventId(ApiRequest request) {
    String id = request.header("Last-Event-ID");
    if (id == null || id.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(id.trim()));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "bad_index", "Last-Event-ID '" + id + "' is not an event index: use a number");
    }
  }

  /** Events of {@code view} after {@code index}, oldest first. */
  static List<ControlEvent> after(ControlView view, long index) {
    return view.events().stream().filter(e -> e.index() > index).toList();
  }
}
