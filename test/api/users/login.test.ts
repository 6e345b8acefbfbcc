import { describe, expect, it } from "vitest";
import { api, createUser, uniquePhone } from "../../helpers/http.ts";

const login = (body: unknown, ip = "203.0.113.1") =>
  api("POST", "/v1/user/login", { body, headers: { "CF-Connecting-IP": ip } });

describe("POST /v1/user/login", () => {
  it("returns a token, its exp and the caller's own profile", async () => {
    const user = await createUser("Lena");
    const answer = await login({ phone: user.phone, password: user.password });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      token: expect.any(String),
      expire: expect.any(Number),
      user: { id: user.id, phone: user.phone, nickname: "Lena", sex: 0, status: 0 },
    });
    expect(answer.body.data.user).not.toHaveProperty("passwordHash");
    const me = await api("GET", "/v1/user/user", { token: answer.body.data.token });
    expect(me.body.data.info.id).toBe(user.id);
  });

  it("gives one answer for a wrong password and an unknown phone", async () => {
    const user = await createUser();
    const wrongPassword = await login(
      { phone: user.phone, password: "not-the-password" },
      "203.0.113.2",
    );
    const unknownPhone = await login(
      { phone: uniquePhone(), password: "not-the-password" },
      "203.0.113.3",
    );
    expect(wrongPassword.status).toBe(401);
    expect(unknownPhone.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownPhone.body);
    expect(wrongPassword.body).toEqual({
      code: 100003,
      msg: "phone or password is wrong",
      data: null,
    });
  });

  it("never accepts a password longer than 72 bytes, even if its first 72 bytes match", async () => {
    const user = await createUser("Trunc", "a".repeat(72));
    const answer = await login(
      { phone: user.phone, password: `${"a".repeat(72)}extra` },
      "203.0.113.4",
    );
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(100003);
  });

  it("refuses malformed input with 400 + 100002", async () => {
    for (
      const body of [{ phone: "abc", password: "x" }, { phone: uniquePhone() }, {
        password: "xxxxxx",
      }, {
        phone: 13800000000,
        password: "secret-pass",
      }]
    ) {
      const answer = await login(body, "203.0.113.5");
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(100002);
    }
  });

  it("locks a phone out after 5 failures with 429 + 100008, even with the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) {
      // Different IPs: only the per-phone counter can trip.
      const failed = await login(
        { phone: user.phone, password: "wrong-pass" },
        `203.0.113.${10 + i}`,
      );
      expect(failed.status).toBe(401);
    }
    const locked = await login({ phone: user.phone, password: user.password }, "203.0.113.20");
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe(100008);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("checks at most 5 of 60 wrong passwords for one phone sent at once (CONTRACT §9)", {
    timeout: 60_000,
  }, async () => {
    const user = await createUser();
    const answers = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) =>
          login({ phone: user.phone, password: "wrong-pass" }, `203.0.113.${100 + (i % 50)}`),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(55);
    for (const limited of answers.filter((answer) => answer.status === 429)) {
      expect(limited.body.code).toBe(100008);
      expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
  });

  // Dozens of bcrypt hashes: slow on a busy 2-core machine, so a generous timeout.
  it("limits one IP spraying many phones after 20 failures", { timeout: 60_000 }, async () => {
    const ip = "203.0.113.99";
    for (let i = 0; i < 20; i++) {
      const failed = await login({ phone: uniquePhone(), password: "wrong-pass" }, ip);
      expect(failed.status).toBe(401);
    }
    const user = await createUser();
    const limited = await login({ phone: user.phone, password: user.password }, ip);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(100008);
    const elsewhere = await login({ phone: user.phone, password: user.password }, "203.0.113.98");
    expect(elsewhere.status).toBe(200);
  });

  it("gives a right password's slot back; the phone's earlier failures keep counting", async () => {
    const user = await createUser();
    for (let i = 0; i < 4; i++) {
      await login({ phone: user.phone, password: "wrong-pass" }, `203.0.113.${30 + i}`);
    }
    for (let i = 0; i < 3; i++) {
      const right = await login({ phone: user.phone, password: user.password }, "203.0.113.40");
      expect(right.status).toBe(200);
    }
    // The owner's logins did not reset an attacker's count: one more failure locks the phone.
    const fifth = await login({ phone: user.phone, password: "wrong-pass" }, "203.0.113.41");
    expect(fifth.status).toBe(401);
    const locked = await login({ phone: user.phone, password: user.password }, "203.0.113.42");
    expect(locked.status).toBe(429);
  });
});
