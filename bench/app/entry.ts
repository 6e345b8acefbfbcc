/**
 * The Worker the bench runs: the app's own entry (workers/api/index.ts), unchanged, plus counters
 * that exist only here, so the product carries no measurement code (issue 19, point 4).
 *
 * - `Conversation` and `UserSession` are subclasses under the same names, so wrangler.toml's
 *   bindings resolve to them. Before the parent's constructor runs, each makes its
 *   `ctx.storage.sql.exec` add the statement's rows written to `rowsWritten` (the unit Cloudflare
 *   bills SQLite objects by).
 * - The UserSession methods a Conversation calls per delivery are counted: `receive` (a delivery
 *   to a member's session) and, where the app has it, `news` (the one call that tells a member
 *   without sockets that a conversation has news). Whichever of them the app's class defines is
 *   wrapped, so this entry works with the class shape before and after the delivery rewrite.
 * - `GET /__bench/counters` answers the counters as JSON before the app sees the request.
 * - `POST /__bench/upload` is the bare upload the media route is measured against: the request
 *   body piped into the same R2 bucket with nothing else (no token, checks, hash or record).
 *
 * Counters are per isolate; locally every object of the Worker runs in the Worker's one isolate,
 * so they cover all objects. They only grow: the harness reads them before and after a phase.
 */
import app, {
  Conversation as AppConversation,
  UserSession as AppUserSession,
} from "../../workers/api/index.ts";

// Every other class the app exports (RateLimiter, any the rewrite adds) passes through as is;
// the local exports below take precedence over the star export for their two names.
export * from "../../workers/api/index.ts";

const counters: { rowsWritten: number; [methodCalls: string]: number } = {
  rowsWritten: 0,
  // Of rowsWritten, the rows statements on the search index wrote (its FTS5 shadow tables).
  searchRowsWritten: 0,
};
/** UserSession methods a Conversation calls per message; each counted as `<name>Calls`. */
const COUNTED_SESSION_METHODS = ["receive", "news"];

/**
 * Makes `ctx.storage.sql.exec` count the rows each statement wrote. The runtime's base class
 * refuses anything but the real DurableObjectState (a Proxy fails its type check), so the real
 * object's `sql` gets an own `exec` in front of its prototype's, before the app's constructor
 * hands `ctx.storage` to its stores.
 */
function meterStorage(ctx: DurableObjectState): void {
  const sql = ctx.storage.sql;
  const exec = sql.exec.bind(sql);
  const metered = <T extends Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: unknown[]
  ) => {
    const cursor = exec<T>(query, ...bindings);
    // Read at once, as the app's old meter did: a write statement has run by the time exec
    // returns; only rows a RETURNING cursor has not yielded yet would be missed.
    counters.rowsWritten += cursor.rowsWritten;
    if (query.includes("search_text")) counters.searchRowsWritten += cursor.rowsWritten;
    return cursor;
  };
  Object.defineProperty(sql, "exec", { configurable: true, writable: true, value: metered });
  // The runtime hands out one wrapper per object; if it ever made a fresh one per access, the
  // count would silently stay 0 — fail the run instead.
  if (ctx.storage.sql.exec !== metered) throw new Error("bench: could not meter storage.sql");
}

export class Conversation extends AppConversation {
  constructor(ctx: DurableObjectState, env: Env) {
    meterStorage(ctx);
    super(ctx, env);
  }
}

export class UserSession extends AppUserSession {
  constructor(ctx: DurableObjectState, env: Env) {
    meterStorage(ctx);
    super(ctx, env);
  }
}

// Defined on the subclass's prototype only when the app's class has the method, so the bench's
// class offers exactly the RPC methods the app's does.
for (const name of COUNTED_SESSION_METHODS) {
  const method: unknown = Reflect.get(AppUserSession.prototype, name);
  if (typeof method !== "function") continue;
  const key = `${name}Calls`;
  counters[key] = 0;
  Object.defineProperty(UserSession.prototype, name, {
    configurable: true,
    writable: true,
    value(this: UserSession, ...args: unknown[]) {
      counters[key] = (counters[key] ?? 0) + 1;
      return method.apply(this, args);
    },
  });
}

/** The request body straight into R2 (its Content-Length gives R2 the length it needs). */
async function bareUpload(request: Request, env: Env): Promise<Response> {
  const stored = await env.MEDIA.put(`bench/${crypto.randomUUID()}`, request.body);
  return Response.json({ size: stored?.size ?? 0 });
}

/**
 * `POST /__bench/store {conversationId, senderId, texts}`: stores each text as `senderId`'s send
 * through the Conversation's own `send` ask (admission, storage, index, fan-out), past the
 * sender's message rate — the search phase fills a conversation with 10,000 messages in
 * seconds, not the 8 minutes 20 a second would take.
 */
async function storeTexts(request: Request, env: Env): Promise<Response> {
  const { conversationId, senderId, texts } = await request.json() as {
    conversationId: string;
    senderId: string;
    texts: string[];
  };
  const conversation = env.CONVERSATION.getByName(conversationId);
  for (const content of texts) {
    const args = { clientMsgId: crypto.randomUUID(), mType: 0 as const, content };
    const outcome = await conversation.ask(senderId, "send", args);
    if (!outcome.ok) return Response.json(outcome, { status: 500 });
  }
  return Response.json({ stored: texts.length });
}

export default {
  ...app,
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/counters") return Response.json(counters);
    if (pathname === "/__bench/upload" && request.method === "POST") {
      return bareUpload(request, env);
    }
    if (pathname === "/__bench/store" && request.method === "POST") return storeTexts(request, env);
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
