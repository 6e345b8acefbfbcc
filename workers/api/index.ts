/** The Worker entry: the HTTP API, plus the Durable Object classes wrangler.toml binds. */
import { createApp } from "./app.ts";

export { RateLimiter } from "../rate-limiter.ts";
export { UserSession } from "../user-session/index.ts";
export { Conversation } from "../conversation/index.ts";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
