/**
 * `createApp()` builds the whole HTTP API: limits, error mapping, the route modules, docs.
 * The Worker entry and the tests use the same app.
 */
import { bodyLimit } from "hono/body-limit";
import { ok } from "../../shared/envelope.ts";
import { PayloadTooLargeError } from "../../shared/errors.ts";
import { MAX_BODY_BYTES } from "../../shared/limits.ts";
import { mountDocs } from "./docs.ts";
import { answerError, answerNotFound } from "./errors.ts";
import { corsForAllowedOrigins, securityHeaders } from "./middleware/browser.ts";
import { withDatabase } from "./middleware/database.ts";
import { requestLog } from "./middleware/request-log.ts";
import { withMembershipEvents } from "./middleware/membership-events.ts";
import { userLimits } from "./middleware/route-limits.ts";
import { createRouter } from "./router.ts";
import { accountRoutes } from "./routes/account.ts";
import { blockRoutes } from "./routes/blocks.ts";
import { chatRoutes } from "./routes/chat.ts";
import { friendRoutes } from "./routes/friends.ts";
import { groupRoutes } from "./routes/groups.ts";
import { MEDIA_UPLOAD_PATH, mediaRoutes } from "./routes/media.ts";
import { presenceRoutes } from "./routes/presence.ts";
import { reactionRoutes } from "./routes/reactions.ts";
import { searchRoutes } from "./routes/search.ts";
import { pushRoutes } from "./routes/push.ts";
import { userRoutes } from "./routes/users.ts";
import { wsRoutes } from "./routes/ws.ts";

export function createApp() {
  const app = createRouter();
  app.onError(answerError);
  app.notFound(answerNotFound);

  // First, so that every answer — errors, 404s, preflights — has its id, CORS and headers.
  app.use("*", requestLog);
  app.use("*", corsForAllowedOrigins);
  app.use("*", securityHeaders);

  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(`body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  // A media upload's body is its bytes, streamed under the kind's own limit (routes/media.ts).
  app.use("/v1/*", (c, next) => c.req.path === MEDIA_UPLOAD_PATH ? next() : jsonBodyLimit(c, next));
  app.use("/v1/*", withDatabase);
  app.use("/v1/*", withMembershipEvents);
  // Per-user limits by method and path (the table in user-limits.ts), before any route's work.
  app.use("/v1/*", userLimits);

  app.get("/health", (c) => c.json(ok({ status: "ok" })));
  app.route("/v1/user", userRoutes);
  app.route("/v1/user", accountRoutes);
  app.route("/v1/social", friendRoutes);
  app.route("/v1/social", groupRoutes);
  app.route("/v1/social", blockRoutes);
  app.route("/v1/social", presenceRoutes);
  app.route("/v1/im", wsRoutes);
  app.route("/v1/im", chatRoutes);
  app.route("/v1/media", mediaRoutes);
  app.route("/v1/im", reactionRoutes);
  app.route("/v1/im", searchRoutes);
  app.route("/v1/push", pushRoutes);
  mountDocs(app);
  return app;
}
