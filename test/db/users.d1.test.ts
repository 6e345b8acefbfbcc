import { createD1TestDb } from "../helpers/d1-db.ts";
import { defineUserQueryCases } from "./cases/users.cases.ts";

defineUserQueryCases("D1", createD1TestDb);
