import { createD1TestDb } from "../helpers/d1-db.ts";
import { defineGroupInvitationQueryCases } from "./cases/group-invitations.cases.ts";

defineGroupInvitationQueryCases("D1", createD1TestDb);
