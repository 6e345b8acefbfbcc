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

/**
 * The drizzle instance of each D1 binding, made once per isolate: building one walks the whole
 * schema (extractTablesRelationalConfig), which cost ~5 % of a read's CPU when done per request.
 * A D1 binding holds no request's I/O, so one instance serves every request.
 */
const d1Instances = new WeakMap<D1Database, Db>();

/**
 * D1 by default; libSQL (remote, over HTTP/WebSocket) when LIBSQL_URL is configured. A libSQL
 * client is made per call: its WebSocket belongs to the request that opened it, and the runtime
 * refuses I/O on it from any other request.
 */
export function createDb(env: DbBindings): Db {
  if (env.LIBSQL_URL) {
    const client = createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN });
    return drizzleLibsql(client, { schema });
  }
  let db = d1Instances.get(env.DB);
  if (db === undefined) {
    db = drizzleD1(env.DB, { schema });
    d1Instances.set(env.DB, db);
  }
  return db;
}
