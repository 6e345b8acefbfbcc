/**
 * How long media lives (CONTRACT §11): an upload never sent is deleted 24 h after it was made by
 * the conversation's alarm; a sent one stays. The deadline is moved into the past rather than
 * waited for: the alarm and the sweep are the real ones.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MEDIA_UNSENT_TTL_MS } from "../../shared/limits.ts";
import { friendsPair } from "../helpers/chat.ts";
import { expectRefusal } from "../helpers/http.ts";
import { bytesOf, fetchMedia, sendMedia, storedBytes, uploaded } from "../helpers/media.ts";

/** The conversation's alarm time and an upload's deadline, as stored. */
async function deadlines(conversationId: string, mediaId: string) {
  return await runInDurableObject(
    env.CONVERSATION.getByName(conversationId),
    async (_: unknown, state: DurableObjectState) => ({
      alarm: await state.storage.getAlarm(),
      deleteAt: state.storage.sql.exec<{ at: number | null }>(
        "SELECT delete_at AS at FROM media WHERE media_id = ?",
        mediaId,
      ).one().at,
    }),
  );
}

/** Moves every pending media deadline of the conversation to just now (time has passed). */
async function passDeadlines(conversationId: string) {
  await runInDurableObject(
    env.CONVERSATION.getByName(conversationId),
    (_: unknown, state: DurableObjectState) => {
      state.storage.sql.exec(
        "UPDATE media SET delete_at = ? WHERE delete_at IS NOT NULL",
        Date.now() - 1,
      );
    },
  );
}

describe("media lifecycle", () => {
  it("deletes an upload never sent once its 24 hours are over, by the conversation's alarm", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const unsent = await uploaded(alice, conversationId, bytesOf("image/png"), {
      kind: "image",
      mime: "image/png",
    });
    const kept = await uploaded(alice, conversationId, bytesOf("image/png"), {
      kind: "image",
      mime: "image/png",
    });
    expect((await sendMedia(alice, bob.id, 1, { mediaId: kept.mediaId })).status).toBe(200);

    const { alarm, deleteAt } = await deadlines(conversationId, unsent.mediaId);
    expect(deleteAt).toBe(unsent.createdAt + MEDIA_UNSENT_TTL_MS);
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(deleteAt!);

    await passDeadlines(conversationId);
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(conversationId))).toBe(true);

    expect(await storedBytes(unsent.mediaId)).toBeNull();
    const read = await fetchMedia(`/v1/media/${unsent.mediaId}`, alice.token);
    expect(read.status).toBe(404);
    await read.body?.cancel();
    expectRefusal(await sendMedia(alice, bob.id, 1, { mediaId: unsent.mediaId }), 400, 100002);
    expect(await storedBytes(kept.mediaId)).not.toBeNull();
    expect((await fetchMedia(`/v1/media/${kept.mediaId}`, bob.token)).status).toBe(200);
  });
});
