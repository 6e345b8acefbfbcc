/**
 * One database handle type for both drivers: D1 (default) and libSQL (when LIBSQL_URL is set).
 * Query functions take a `Db` and never know which one they run on.
 */
import { drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql/web";
import { createClient } from "@libsql/client/web";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "./schema.ts";

// deno-lint-ignore no-explicit-any -- the run-result type differs between drivers and no query reads it
export type Db = BaseSQLiteDatabase<"async", any, typeof schema>;

export interface DbBindings {
  DB: D1Database;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
}

/** D1 by default; libSQL (remote, over HTTP/WebSocket) when LIBSQL_URL is configured. */
export function createDb(env: DbBindings): Db {
  if (env.LIBSQL_URL) {
    const client = createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN });
    return drizzleLibsql(client, { schema });
  }
  return drizzleD1(env.DB, { schema });
}
