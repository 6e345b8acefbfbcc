import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const rule = { limit: 3, windowSeconds: 60 };

describe("RateLimiter", () => {
  it("allows `limit` events, then reports seconds until the oldest leaves the window", async () => {
    const limiter = env.RATE_LIMITER.getByName("test:window");
    expect(await limiter.retryAfter(rule)).toBe(0);
    expect(await limiter.record(rule)).toBe(0);
    expect(await limiter.record(rule)).toBe(0);
    const wait = await limiter.record(rule);
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it("forgets events older than the window", async () => {
    const stub = env.RATE_LIMITER.getByName("test:aging");
    await runInDurableObject(stub, (_instance, state) => {
      const old = Date.now() - 61_000;
      for (let i = 0; i < 3; i++) state.storage.sql.exec("INSERT INTO events (at) VALUES (?)", old);
    });
    expect(await stub.retryAfter(rule)).toBe(0);
  });

  it("keeps working after clear() and after its cleanup alarm", async () => {
    const stub = env.RATE_LIMITER.getByName("test:reuse");
    for (let i = 0; i < 3; i++) await stub.record(rule);
    await stub.clear();
    expect(await stub.retryAfter(rule)).toBe(0);
    for (let i = 0; i < 3; i++) await stub.record(rule);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.retryAfter(rule)).toBe(0);
    expect(await stub.record(rule)).toBe(0);
  });
});
