/** The test D1 database (migrations already applied by the setup file) as a drizzle `Db`. */
import { env } from "cloudflare:workers";
import { createDb, type Db } from "../../shared/db/client.ts";

export function createD1TestDb(): Db {
  return createDb({ DB: env.DB });
}
