package io.realtimegateway.api;

import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the files of the demo page and the console from {@code web/} on the classpath, on their
 * own routes: each route decides first whether its page may be served (demo mode, the API guard).
 * Quarkus' static resources ({@code META-INF/resources}) are not used: they would be served in
 * every mode and make every unknown POST a 405.
 */
final class PageFiles {

  private PageFiles() {}

  /**
   * A handler for the route {@code /<page>/*}: {@code /<page>/x} is {@code web/<page>/x} (Vert.x
   * resolves the path after the route's wildcard).
   */
  static StaticHandler handler(String page) {
    return StaticHandler.create("web/" + page)
        .setDirectoryListing(false)
        .setDefaultContentEncoding("UTF-8")
        .setCachingEnabled(false);
  }
}
