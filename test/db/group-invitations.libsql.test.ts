import { beforeAll } from "vitest";
import type { Db } from "../../shared/db/client.ts";
import { createLibsqlTestDb } from "../helpers/libsql-db.ts";
import { defineGroupInvitationQueryCases } from "./cases/group-invitations.cases.ts";

let db: Db;
beforeAll(async () => {
  db = await createLibsqlTestDb();
});

defineGroupInvitationQueryCases("libSQL", () => db);
