/**
 * CONTRACT §15 "Budgets": every authenticated GET is a read; 600 per user per minute across
 * routes, then 429 + 100008 with Retry-After. The budget rides on the token check's answer from
 * the user's UserSession (workers/api/read-leases.ts); these tests run in one isolate, where it
 * is exact.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { READ_LEASE_LARGEST, READ_LEASE_SMALLEST, USER_READS } from "../../../shared/limits.ts";
import { READ_LEASES_KEY } from "../../../workers/user-session/read-leases.ts";
import { api, type ApiAnswer } from "../../helpers/http.ts";
import { quickUser } from "../../helpers/social.ts";

const ROUTES = ["/v1/user/user", "/v1/social/friends", "/v1/im/conversation"];

/** `count` GETs, `concurrency` at a time, cycling through ROUTES. */
async function reads(token: string, count: number, concurrency = 25): Promise<ApiAnswer[]> {
  const answers: ApiAnswer[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const size = Math.min(concurrency, count - start);
    answers.push(
      ...await Promise.all(
        Array.from(
          { length: size },
          (_, i) => api("GET", ROUTES[(start + i) % ROUTES.length]!, { token }),
        ),
      ),
    );
  }
  return answers;
}

describe("read budget", { timeout: 60_000 }, () => {
  it(`serves ${USER_READS.limit} GETs a minute across routes; the next gets 429 with Retry-After`, async () => {
    const alice = await quickUser("Alice");
    const bob = await quickUser("Bob");
    const served = await reads(alice.token, USER_READS.limit);
    expect(served.filter((answer) => answer.status === 200)).toHaveLength(USER_READS.limit);

    const over = await api("GET", "/v1/user/user", { token: alice.token });
    expect(over.status).toBe(429);
    expect(over.body.code).toBe(100008);
    expect(over.body.msg).toContain(`at most ${USER_READS.limit} a minute`);
    const retryAfter = Number(over.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(USER_READS.windowSeconds);
    // Every GET route counts, and so does HEAD.
    expect((await api("GET", "/v1/im/conversation", { token: alice.token })).status).toBe(429);
    const head = await exports.default.fetch(
      new Request("https://chat.test/v1/social/friends", {
        method: "HEAD",
        headers: { Authorization: `Bearer ${alice.token}` },
      }),
    );
    expect(head.status).toBe(429);

    // Another user reads as usual; writes are not reads.
    expect((await api("GET", "/v1/user/user", { token: bob.token })).status).toBe(200);
    const write = await api("PUT", "/v1/user/user", { token: alice.token, body: { sex: 1 } });
    expect(write.status).toBe(200);
  });

  it("leases a fast reader more reads each time, up to the largest lease; a slow one the smallest", async () => {
    const leasesOf = (userId: string) =>
      runInDurableObject(
        env.USER_SESSION.getByName(userId),
        (_, state) => state.storage.get<{ count: number }[]>(READ_LEASES_KEY),
      );
    const fast = await quickUser("Fast");
    await reads(fast.token, 300);
    const fastSizes = ((await leasesOf(fast.id)) ?? []).map((lease) => lease.count);
    // Spent leases stay counted at their size: 25, 50, 100, 100 … (the last may be partly
    // given back only at the next ask, so it is still whole).
    expect(fastSizes.slice(0, 3)).toEqual([
      READ_LEASE_SMALLEST,
      2 * READ_LEASE_SMALLEST,
      READ_LEASE_LARGEST,
    ]);
    expect(Math.max(...fastSizes)).toBe(READ_LEASE_LARGEST);

    const slow = await quickUser("Slow");
    await reads(slow.token, 1);
    expect(((await leasesOf(slow.id)) ?? []).map((lease) => lease.count)).toEqual([
      READ_LEASE_SMALLEST,
    ]);
  });

  it("counts a burst of GETs exactly: of 650 at once, 600 are served", async () => {
    const carol = await quickUser("Carol");
    const answers = await reads(carol.token, USER_READS.limit + 50, 650);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(USER_READS.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
  });

  it("answers a revoked token 401 before its reads are counted", async () => {
    const dave = await quickUser("Dave");
    expect((await api("POST", "/v1/user/logout", { token: dave.token, body: {} })).status).toBe(
      200,
    );
    expect((await api("GET", "/v1/user/user", { token: dave.token })).status).toBe(401);
  });
});
