/** Who calls a social service: the one argument every service takes first. */
import type { Db } from "../db/client.ts";
import type { MembershipEvents } from "./events.ts";

/** The caller of a social service, the database it works on and where membership changes go. */
export interface Actor {
  db: Db;
  events: MembershipEvents;
  /** The token's subject: the only source of "who is asking". */
  userId: string;
}
