/** `/openapi.json` (generated from the route definitions) and the `/docs` API reference page. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";

// The reference UI (Scalar) is loaded by the reader's browser from a CDN pinned to one version;
// the Worker itself only serves this page and the JSON document.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>easy-chat edge API</title>
</head>
<body>
  <script id="api-reference" data-url="/openapi.json"></script>
  <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.40.0"></script>
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
