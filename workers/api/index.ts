/** The Worker entry: the HTTP API, the push queue's consumer, plus the Durable Object classes wrangler.toml binds. */
import { createApp } from "./app.ts";
import { consumePushBatch } from "../push/consumer.ts";
import type { PushQueueMessage } from "../push/queue-messages.ts";

export { RateLimiter } from "../rate-limiter.ts";
export { UserSession } from "../user-session/index.ts";
export { Conversation } from "../conversation/index.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // The push queue (wrangler.toml): Web Push is sent here, never on a send's path.
  queue: (batch, env) => consumePushBatch(batch, env),
} satisfies ExportedHandler<Env, PushQueueMessage>;
