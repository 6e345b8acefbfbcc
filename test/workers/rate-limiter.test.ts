import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RateRule } from "../../shared/limits.ts";

const rule: RateRule = { name: "test", limit: 3, windowSeconds: 60 };
const daily: RateRule = { name: "daily", limit: 5, windowSeconds: 24 * 60 * 60 };

function countEvents(name: string): Promise<number> {
  return runInDurableObject(
    env.RATE_LIMITER.getByName(name),
    (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM rate_events").one().n,
  );
}

describe("RateLimiter", () => {
  it("gives `limit` slots, then refuses with the seconds until the oldest leaves the window", async () => {
    const limiter = env.RATE_LIMITER.getByName("test:window");
    for (let i = 0; i < 3; i++) expect((await limiter.take([rule])).ok).toBe(true);
    const refused = await limiter.take([rule]);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.retryAfter).toBeGreaterThan(55);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
  });

  it("counts a parallel burst exactly: of 40 calls over a limit of 3, 3 take a slot", async () => {
    const limiter = env.RATE_LIMITER.getByName("test:burst");
    const answers = await Promise.all(Array.from({ length: 40 }, () => limiter.take([rule])));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
    expect(await countEvents("test:burst")).toBe(3);
  });

  it("takes under every rule or none: a full rule records nothing under the others", async () => {
    const limiter = env.RATE_LIMITER.getByName("test:both");
    for (let i = 0; i < 3; i++) expect((await limiter.take([rule, daily])).ok).toBe(true);
    expect((await limiter.take([rule, daily])).ok).toBe(false);
    // The refused call left the daily window alone: two more fit under it alone.
    expect((await limiter.take([daily])).ok).toBe(true);
    expect((await limiter.take([daily])).ok).toBe(true);
    expect((await limiter.take([daily])).ok).toBe(false);
  });

  it("gives a slot back", async () => {
    const limiter = env.RATE_LIMITER.getByName("test:give-back");
    const slots: string[] = [];
    for (let i = 0; i < 3; i++) {
      const taken = await limiter.take([rule]);
      if (taken.ok) slots.push(taken.slot);
    }
    expect(slots).toHaveLength(3);
    await limiter.giveBack(slots[0]!);
    expect((await limiter.take([rule])).ok).toBe(true);
    expect((await limiter.take([rule])).ok).toBe(false);
  });

  it("forgets events older than the window", async () => {
    const stub = env.RATE_LIMITER.getByName("test:aging");
    expect((await stub.take([rule])).ok).toBe(true);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE rate_events SET at = ?", Date.now() - 61_000);
      const old = Date.now() - 61_000;
      for (let i = 0; i < 3; i++) {
        state.storage.sql.exec(
          "INSERT INTO rate_events (rule, at, slot) VALUES (?, ?, ?)",
          rule.name,
          old,
          `old-${i}`,
        );
      }
    });
    expect((await stub.take([rule])).ok).toBe(true);
  });

  it("empties its log with the cleanup alarm and keeps working after it", async () => {
    const stub = env.RATE_LIMITER.getByName("test:reuse");
    for (let i = 0; i < 3; i++) await stub.take([rule]);
    expect(await countEvents("test:reuse")).toBe(3);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await countEvents("test:reuse")).toBe(0);
    expect((await stub.take([rule])).ok).toBe(true);
  });

  it("stores nothing until it limits something", async () => {
    const stub = env.RATE_LIMITER.getByName("test:untouched");
    const tables = await runInDurableObject(
      stub,
      (_instance, state) =>
        state.storage.sql.exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
        ).toArray().map((row) => row.name),
    );
    expect(tables).toEqual([]);
  });
});
