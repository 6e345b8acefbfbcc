import { createD1TestDb } from "../helpers/d1-db.ts";
import { defineSocialControlQueryCases } from "./cases/social-controls.cases.ts";

defineSocialControlQueryCases("D1", createD1TestDb);
