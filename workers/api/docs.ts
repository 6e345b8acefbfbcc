/** `/openapi.json` (generated from the route definitions) and the `/docs` API reference page. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";

/**
 * The reference UI (Scalar), loaded by the reader's browser from a CDN: one exact file of one
 * version, with its Subresource Integrity hash, so a changed file on the CDN is not run. The
 * hash is the file's own from the npm tarball, which jsDelivr serves byte for byte; after a
 * version bump `node scripts/docs-sri.mjs` prints the new one (and checks this one).
 */
export const REFERENCE_SCRIPT = {
  src: "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.40.0/dist/browser/standalone.js",
  integrity: "sha384-u/N+3N6pIEeVXuHl0044cGfxEcIxJIqZ1ED0wZUypHj1v1mCDTc2rO1iVOo57KJD",
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>easy-chat edge API</title>
</head>
<body>
  <script id="api-reference" data-url="/openapi.json"></script>
  <script src="${REFERENCE_SCRIPT.src}"
    integrity="${REFERENCE_SCRIPT.integrity}" crossorigin="anonymous"></script>
</body>
</html>`;

/** Mounts `/openapi.json` and `/docs` on the app. */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "easy-chat edge",
      version: "1.0.0",
      description: "Users, friends, groups, private and group chat on Cloudflare Workers. " +
        'Every body is {"code", "msg", "data"}; the WebSocket protocol is at GET /v1/im/ws.',
    },
  });
  app.get("/docs", (c) => c.html(DOCS_PAGE));
}
