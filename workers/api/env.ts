/** Hono typing for the Worker: bindings from wrangler.toml, variables set by middleware. */
import type { Db } from "../../shared/db/client.ts";

export interface AppVariables {
  /** The token's subject: the only source of "who is asking". */
  userId: string;
  db: Db;
  /** This request's X-Request-Id (the client's, or a new one), also in its log line. */
  requestId: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
