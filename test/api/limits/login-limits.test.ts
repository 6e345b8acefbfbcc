/**
 * Failed logins (CONTRACT §9, §15 "Logins"): 5 per (phone, client IP), 50 per phone, 20 per
 * client IP, each per 15 minutes; a slot is taken before the password is checked and given back
 * when it is right. A stranger's tries lock the phone out for the stranger's address only.
 */
import { describe, expect, it } from "vitest";
import {
  LOGIN_FAILURES_PER_IP,
  LOGIN_FAILURES_PER_PHONE,
  LOGIN_FAILURES_PER_PHONE_AND_IP,
} from "../../../shared/limits.ts";
import { api, type ApiAnswer, createUser, uniquePhone } from "../../helpers/http.ts";

const login = (body: unknown, ip: string) =>
  api("POST", "/v1/user/login", { body, headers: { "CF-Connecting-IP": ip } });

function expectLimited(answer: ApiAnswer): void {
  expect(answer.status).toBe(429);
  expect(answer.body.code).toBe(100008);
  expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
}

// Each wrong password costs a bcrypt compare: slow on a busy 2-core machine.
describe("failed-login limits", { timeout: 90_000 }, () => {
  it("lets the owner in from another address after a stranger's five wrong tries", async () => {
    const owner = await createUser();
    const stranger = "198.18.1.1";
    for (let i = 0; i < LOGIN_FAILURES_PER_PHONE_AND_IP.limit; i++) {
      const failed = await login({ phone: owner.phone, password: "wrong-pass" }, stranger);
      expect(failed.status).toBe(401);
    }
    // The stranger's address is locked for this phone, even with the right password.
    expectLimited(await login({ phone: owner.phone, password: owner.password }, stranger));
    const home = await login({ phone: owner.phone, password: owner.password }, "198.18.1.2");
    expect(home.status).toBe(200);
  });

  it("checks at most 5 of 60 wrong passwords for one phone sent at once from one address", async () => {
    const user = await createUser();
    const answers = await Promise.all(
      Array.from(
        { length: 60 },
        () => login({ phone: user.phone, password: "wrong-pass" }, "198.18.2.1"),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(55);
    for (const limited of answers.filter((answer) => answer.status === 429)) {
      expectLimited(limited);
    }
  });

  it(`locks a phone everywhere after ${LOGIN_FAILURES_PER_PHONE.limit} failures from many addresses`, async () => {
    const user = await createUser();
    // Twelve addresses × 5 tries = 60 slots per (phone, IP); the phone's ceiling of 50 decides.
    const answers = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) => login({ phone: user.phone, password: "wrong-pass" }, `198.18.3.${i % 12}`),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(
      LOGIN_FAILURES_PER_PHONE.limit,
    );
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expectLimited(await login({ phone: user.phone, password: user.password }, "198.18.3.200"));
  });

  it(`limits one address spraying many phones after ${LOGIN_FAILURES_PER_IP.limit} failures`, async () => {
    const ip = "198.18.4.1";
    await Promise.all(
      Array.from({ length: LOGIN_FAILURES_PER_IP.limit }, async () => {
        const failed = await login({ phone: uniquePhone(), password: "wrong-pass" }, ip);
        expect(failed.status).toBe(401);
      }),
    );
    const user = await createUser();
    expectLimited(await login({ phone: user.phone, password: user.password }, ip));
    const elsewhere = await login({ phone: user.phone, password: user.password }, "198.18.4.2");
    expect(elsewhere.status).toBe(200);
  });

  it("gives a right password's slots back; the earlier failures keep counting", async () => {
    const user = await createUser();
    const ip = "198.18.5.1";
    for (let i = 0; i < 4; i++) await login({ phone: user.phone, password: "wrong-pass" }, ip);
    for (let i = 0; i < 3; i++) {
      const right = await login({ phone: user.phone, password: user.password }, ip);
      expect(right.status).toBe(200);
    }
    // The owner's logins did not reset an attacker's count: one more failure locks the pair.
    expect((await login({ phone: user.phone, password: "wrong-pass" }, ip)).status).toBe(401);
    expectLimited(await login({ phone: user.phone, password: user.password }, ip));
  });
});
