import { createD1TestDb } from "../helpers/d1-db.ts";
import { defineSocialQueryCases } from "./cases/social.cases.ts";

defineSocialQueryCases("D1", createD1TestDb);
