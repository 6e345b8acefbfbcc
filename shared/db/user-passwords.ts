/** Password-hash writes (the profile update never touches the hash). */
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { users } from "./schema.ts";

/** Replaces a user's password hash; false when there is no such user. */
export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<boolean> {
  const row = await db.update(users).set({ passwordHash }).where(eq(users.id, id))
    .returning({ id: users.id }).get();
  return row !== undefined;
}
