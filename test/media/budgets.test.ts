/**
 * A user's upload budgets (CONTRACT §11, §9) under parallel bursts: of N uploads at once over a
 * limit, exactly the limit do the work; the day's bytes are reserved before a byte is read, so
 * uploads in flight cannot overrun them, and a failed upload gives its bytes back.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { MEDIA_BYTES_PER_DAY, MEDIA_MAX_BYTES, MEDIA_UPLOADS } from "../../shared/limits.ts";
import { friendsPair } from "../helpers/chat.ts";
import { bucketCount, bytesOf, hangingUpload, upload } from "../helpers/media.ts";

/** How many uploads the user's budget holds reservations for (RateLimiter `media:<id>`). */
function reservations(userId: string): Promise<number> {
  return runInDurableObject(
    env.RATE_LIMITER.getByName(`media:${userId}`),
    (_: unknown, state: DurableObjectState) => {
      const sql = state.storage.sql;
      const table = sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'byte_events'").toArray();
      if (table.length === 0) return 0;
      return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM byte_events").one().n;
    },
  );
}

describe("upload budgets", () => {
  it(`lets exactly ${MEDIA_UPLOADS.limit} of a burst of uploads through, the rest 429`, async () => {
    const { alice, conversationId } = await friendsPair();
    const before = await bucketCount();
    const burst = MEDIA_UPLOADS.limit + 10;
    const answers = await Promise.all(
      Array.from({ length: burst }, () =>
        upload(alice, conversationId, bytesOf("image/png", 256), {
          kind: "image",
          mime: "image/png",
        })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(MEDIA_UPLOADS.limit);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(10);
    for (const answer of refused) {
      expect(answer.body.code).toBe(100008);
      expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    expect(await bucketCount()).toBe(before + MEDIA_UPLOADS.limit);
  });

  it("reserves the day's bytes before reading, and gives back those of a failed upload", async () => {
    const { alice, conversationId } = await friendsPair();
    const declared = MEDIA_MAX_BYTES.file;
    const inFlight = Math.floor(MEDIA_BYTES_PER_DAY.limit / declared);
    const uploads = Array.from(
      { length: inFlight },
      () => hangingUpload(alice, conversationId, declared),
    );
    await vi.waitFor(async () => expect(await reservations(alice.id)).toBe(inFlight), {
      timeout: 10_000,
    });

    // The reservations fill the day although not a byte more has arrived.
    const small = () =>
      upload(alice, conversationId, bytesOf("image/png", 256), {
        kind: "image",
        mime: "image/png",
      });
    const refused = await small();
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.body.code).toBe(100008);

    for (const one of uploads) one.fail();
    const failed = await Promise.all(uploads.map((one) => one.answer));
    for (const response of failed) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      await response.body?.cancel();
    }
    const allowed = await small();
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
  });
});
