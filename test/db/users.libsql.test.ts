import { beforeAll } from "vitest";
import type { Db } from "../../shared/db/client.ts";
import { createLibsqlTestDb } from "../helpers/libsql-db.ts";
import { defineUserQueryCases } from "./cases/users.cases.ts";

let db: Db;
beforeAll(async () => {
  db = await createLibsqlTestDb();
});

defineUserQueryCases("libSQL", () => db);
