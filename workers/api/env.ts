/** Hono typing for the Worker: bindings from wrangler.toml, variables set by middleware. */
import type { Db } from "../../shared/db/client.ts";

export interface AppVariables {
  /** The token's subject: the only source of "who is asking". */
  userId: string;
  db: Db;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
