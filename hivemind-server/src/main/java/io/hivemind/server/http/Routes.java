package io.hivemind.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's route table: each route is a method and a path template whose segments are literals or
 * {@code {name}} parameters (one segment each); the last may be a rest parameter {@code {name...}}
 * that takes the rest of the path, slashes and all, possibly empty (a KV key such as {@code
 * app/config/}, whose trailing slash is part of the key). Matching is by whole segments, so {@code
 * /v1/agent/members} never matches {@code /v1/agent/membersx}; one trailing slash is ignored, as
 * Consul does, except inside a rest parameter. A path that exists for other methods only is a 405
 * naming them.
 *
 * <p>Built once, then read-only: safe to share between connections.
 */
final class Routes {

  /** An endpoint's code: it answers through the request, now or later. */
  @FunctionalInterface
  interface Endpoint {
    void handle(ApiRequest request);
  }

  /**
   * An endpoint that reads the request's body (a KV value, an event payload); every other endpoint
   * refuses a body, since a client that sends one probably meant another API.
   */
  @FunctionalInterface
  interface BodyEndpoint extends Endpoint {}

  /** {@code endpoint}, marked as one that takes a body. */
  static BodyEndpoint takingBody(Endpoint endpoint) {
    return endpoint::handle;
  }

  /** What a request's method and path lead to. */
  sealed interface Match {}

  /**
   * An endpoint, with the values of the template's parameters (percent-decoded) and the template
   * itself (what {@link RouteAccess} knows a route by).
   */
  record Found(Endpoint endpoint, Map<String, String> pathParams, String template)
      implements Match {}

  /** The path exists, but not for this method; {@code allowed} lists the methods that it takes. */
  record WrongMethod(Set<String> allowed) implements Match {}

  /** No route has this path. */
  record NotFound() implements Match {}

  private record Route(HttpMethod method, String template, String[] segments, Endpoint endpoint) {}

  private final List<Route> routes = new ArrayList<>();

  /**
   * Adds {@code method template}, such as {@code PUT /v1/agent/join/{address}}.
   *
   * @throws IllegalArgumentException when the template does not start with a slash
   */
  Routes add(HttpMethod method, String template, Endpoint endpoint) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a route template starts with '/': " + template);
    }
    routes.add(new Route(method, template, segments(template), endpoint));
    return this;
  }

  /**
   * Finds the route of {@code method} and the raw (still percent-encoded) {@code path}.
   *
   * @throws IllegalArgumentException when a parameter's percent-encoding is malformed
   */
  Match match(HttpMethod method, String path) {
    String[] segments = segments(path);
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params =
          isRest(route.segments())
              ? bindRest(route.segments(), segments, path)
              : bind(route.segments(), segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Found(route.endpoint(), params, route.template());
      }
      allowed.add(route.method().name());
    }
    return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed);
  }

  /** The parameters when {@code path} fits {@code template}, else null. */
  private static Map<String, String> bind(String[] template, String[] path) {
    if (template.length != path.length || !literalsMatch(template, template.length, path)) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String part = template[i];
      if (part.startsWith("{") && part.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        params.put(part.substring(1, part.length() - 1), decode(path[i]));
      } else if (!part.equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  /**
   * Whether the first {@code count} segments' literals match and their parameters have a value:
   * checked before anything is allocated, since every request is tried against the routes in turn.
   */
  private static boolean literalsMatch(String[] template, int count, String[] path) {
    for (int i = 0; i < count; i++) {
      String part = template[i];
      boolean param = part.startsWith("{") && part.endsWith("}");
      if (param ? path[i].isEmpty() : !part.equals(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isRest(String[] template) {
    String last = template[template.length - 1];
    return last.startsWith("{") && last.endsWith("...}");
  }

  /**
   * The parameters when {@code path} starts with the template's fixed segments; the rest parameter
   * takes the raw path after them (its trailing slash kept), decoded as a whole.
   */
  private static Map<String, String> bindRest(String[] template, String[] path, String rawPath) {
    int fixed = template.length - 1;
    if (path.length < fixed || !literalsMatch(template, fixed, path)) {
      return null;
    }
    String[] head = Arrays.copyOf(path, fixed);
    Map<String, String> params = bind(Arrays.copyOf(template, fixed), head);
    if (params == null) {
      return null;
    }
    int prefix = 1 + String.join("/", head).length();
    String rest = rawPath.length() > prefix ? rawPath.substring(prefix + 1) : "";
    String name = template[fixed];
    params.put(name.substring(1, name.length() - 4), decode(rest));
    return params;
  }

  /** A path segment's value: percent-decoded as UTF-8; unlike a query, '+' stays a plus. */
  private static String decode(String segment) {
    return QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * The segments of a path. A request target that is not a path (no leading '/', such as {@code
   * ?status=alive}: the fuzz suite found it was cut as if it had one) is one segment no route has.
   */
  private static String[] segments(String path) {
    if (!path.startsWith("/")) {
      return new String[] {path};
    }
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(1).split("/", -1);
  }
}
