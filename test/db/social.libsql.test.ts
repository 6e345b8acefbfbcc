import { beforeAll } from "vitest";
import type { Db } from "../../shared/db/client.ts";
import { createLibsqlTestDb } from "../helpers/libsql-db.ts";
import { defineSocialQueryCases } from "./cases/social.cases.ts";

let db: Db;
beforeAll(async () => {
  db = await createLibsqlTestDb();
});

defineSocialQueryCases("libSQL", () => db);
