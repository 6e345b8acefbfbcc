/** Creates the request's database handle once (D1, or libSQL when LIBSQL_URL is set). */
import { createMiddleware } from "hono/factory";
import { createDb } from "../../../shared/db/client.ts";
import type { AppEnv } from "../env.ts";

export const withDatabase = createMiddleware<AppEnv>(async (c, next) => {
  c.set("db", createDb(c.env));
  await next();
});
