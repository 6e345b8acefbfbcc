import { beforeAll } from "vitest";
import type { Db } from "../../shared/db/client.ts";
import { createLibsqlTestDb } from "../helpers/libsql-db.ts";
import { defineSocialControlQueryCases } from "./cases/social-controls.cases.ts";

let db: Db;
beforeAll(async () => {
  db = await createLibsqlTestDb();
});

defineSocialControlQueryCases("libSQL", () => db);
