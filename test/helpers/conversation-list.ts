/** Filling a user's stored conversation list directly, to reach its 1,000-row bound quickly. */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { newId } from "../../shared/ids.ts";

/**
 * Fills `userId`'s list with `count` group conversations more recently active than anything in
 * it: the first just after the newest row, each next one `spacingMs` later (0: all as of the same
 * millisecond, so a message sent afterwards is more recent than every one of them).
 */
export function fillList(userId: string, count: number, spacingMs = 1): Promise<void> {
  return runInDurableObject(env.USER_SESSION.getByName(userId), (_instance, state) => {
    const later = state.storage.sql.exec<{ at: number }>(
      "SELECT MAX(updated_at) AS at FROM conversations",
    ).one().at + 1;
    for (let i = 0; i < count; i++) {
      const id = newId();
      state.storage.sql.exec(
        `INSERT INTO conversations
           (conversation_id, chat_type, target_id, seq, read_seq, is_show, last_msg, updated_at)
         VALUES (?, 1, ?, 0, 0, 1, NULL, ?)`,
        id,
        id,
        later + i * spacingMs,
      );
    }
  });
}
