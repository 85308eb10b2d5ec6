package io.hivemind.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The API's route table: one line per endpoint, then the error handling every request shares. */
final class AgentRoutes {

  private AgentRoutes() {}

  static Router create(Vertx vertx, HttpApiConfig config, AgentOperations agent) {
    Router router = Router.router(vertx);
    // First, for every request: refuse a path the router cannot decode, then buffer the body up
    // to the limit (413 beyond), never writing uploads to disk.
    router.route().handler(AgentRoutes::requireDecodablePath);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    AgentHandlers handlers = new AgentHandlers(config, agent);
    endpoint(router, HttpMethod.GET, "/v1/agent/members", handlers::members);
    endpoint(router, HttpMethod.GET, "/v1/agent/self", handlers::self);
    endpoint(router, HttpMethod.GET, "/v1/agent/metrics", handlers::metrics);
    endpoint(router, HttpMethod.PUT, "/v1/agent/join/:address", handlers::join);
    endpoint(router, HttpMethod.PUT, "/v1/agent/join", handlers::joinWithoutAddress);
    endpoint(router, HttpMethod.PUT, "/v1/agent/leave", handlers::leave);
    ApiFailures failures = new ApiFailures(config.maxBodyBytes());
    router.route().failureHandler(failures::handle);
    router.errorHandler(404, failures::handle);
    router.errorHandler(500, failures::handle);
    return router;
  }

  /**
   * Vert.x throws while matching a path with a broken escape such as {@code %zz}, and answers a
   * plain-text 400 after logging an error; checking first keeps the answer JSON and the log quiet.
   */
  static void requireDecodablePath(RoutingContext ctx) {
    String path = ctx.request().path();
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
        throw ApiException.badRequest(
            "bad_request", "the path has a malformed %-escape at character " + i);
      }
    }
    ctx.next();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /**
   * Routes {@code method path} to {@code handler}, and every other method on the same path to a 405
   * that names the right one (Vert.x's own 405 has neither a JSON body nor an Allow header).
   */
  private static void endpoint(
      Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
    router.route(method, path).handler(AgentHandlers::requireNoBody).handler(handler);
    router.route(path).handler(ctx -> ApiFailures.methodNotAllowed(ctx, method.name()));
  }
}
