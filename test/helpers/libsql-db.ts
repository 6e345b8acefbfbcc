/**
 * A real libSQL database file with the project's migrations applied, for the "libsql" test
 * project (Node). Each call makes a fresh file under the OS temp dir.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "../../shared/db/client.ts";
import * as schema from "../../shared/db/schema.ts";

/** Opens a new libSQL file database and applies `migrations/` with drizzle's migrator. */
export async function createLibsqlTestDb(): Promise<Db> {
  const dir = mkdtempSync(path.join(tmpdir(), "easy-chat-libsql-"));
  const client = createClient({ url: `file:${path.join(dir, "test.db")}` });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: path.join(import.meta.dirname, "../../migrations") });
  return db;
}
