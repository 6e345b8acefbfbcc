import { describe, expect, it } from "vitest";
import { api, uniquePhone } from "../../helpers/http.ts";
import { countRows } from "../../helpers/social.ts";

const register = (body: unknown, ip = "192.0.2.1") =>
  api("POST", "/v1/user/register", { body, headers: { "CF-Connecting-IP": ip } });

describe("POST /v1/user/register", () => {
  it("creates an account and returns a token with its exp", async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await register({
      phone: uniquePhone(),
      password: "secret-pass",
      nickname: "Al",
    });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(200);
    expect(answer.body.data.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Default lifetime is 7 days.
    expect(answer.body.data.expire).toBeGreaterThanOrEqual(before + 604800);
    expect(answer.body.data.expire).toBeLessThanOrEqual(before + 604800 + 5);
  });

  it("stores only a bcrypt hash (cost 10) of the password", async () => {
    const { env } = await import("cloudflare:workers");
    const phone = uniquePhone();
    await register({ phone, password: "secret-pass", nickname: "Hashy" });
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE phone = ?").bind(phone)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$2[aby]\$10\$/);
    expect(row?.password_hash).not.toContain("secret-pass");
  });

  it("accepts the optional sex and avatar and a leading + on the phone", async () => {
    const phone = `+${uniquePhone()}`;
    const answer = await register({
      phone,
      password: "secret-pass",
      nickname: "Bea",
      sex: 2,
      avatar: "https://cdn.example/b.png",
    });
    expect(answer.status).toBe(200);
    const me = await api("GET", "/v1/user/user", { token: answer.body.data.token });
    expect(me.body.data.info).toMatchObject({
      phone,
      nickname: "Bea",
      sex: 2,
      avatar: "https://cdn.example/b.png",
    });
  });

  it("refuses a phone that is already registered with 409 + 100007", async () => {
    const phone = uniquePhone();
    await register({ phone, password: "secret-pass", nickname: "First" });
    const again = await register({ phone, password: "other-pass", nickname: "Second" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 100007, msg: "phone is already registered", data: null });
  });

  it("lets exactly one of two concurrent registrations of one phone through", async () => {
    const phone = uniquePhone();
    const answers = await Promise.all([
      register({ phone, password: "secret-pass", nickname: "Racer1" }),
      register({ phone, password: "secret-pass", nickname: "Racer2" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it.each([
    ["a short phone", { phone: "1234" }, "phone"],
    ["a phone with letters", { phone: "13800abc000" }, "phone"],
    ["a 21-digit phone", { phone: "1".repeat(21) }, "phone"],
    ["a numeric phone", { phone: 13800000000 }, "phone"],
    ["a 5-byte password", { password: "12345" }, "password"],
    ["a 73-byte ASCII password", { password: "p".repeat(73) }, "password"],
    // 24 × "密" is 72 bytes (allowed); one more 3-byte character makes 75.
    ["a 75-byte multibyte password", { password: "密".repeat(25) }, "password"],
    ["an empty nickname", { nickname: "" }, "nickname"],
    ["a blank nickname", { nickname: "   " }, "nickname"],
    ["a 25-character nickname", { nickname: "n".repeat(25) }, "nickname"],
    ["sex 3", { sex: 3 }, "sex"],
    ["sex as a string", { sex: "1" }, "sex"],
    ["a javascript: avatar", { avatar: "javascript:alert(1)" }, "avatar"],
    ["a missing password", { password: undefined }, "password"],
  ])("refuses %s with 400 + 100002 naming the field", async (_label, override, field) => {
    const body = { phone: uniquePhone(), password: "secret-pass", nickname: "Ok", ...override };
    const answer = await register(body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
    expect(answer.body.data).toBeNull();
    expect(answer.body.msg).toContain(field);
  });

  it("accepts a 72-byte multibyte password and logs in with it", async () => {
    const phone = uniquePhone();
    const password = "密".repeat(24);
    expect((await register({ phone, password, nickname: "Multi" })).status).toBe(200);
    const login = await api("POST", "/v1/user/login", { body: { phone, password } });
    expect(login.status).toBe(200);
  });

  it("counts characters, not bytes, for the nickname", async () => {
    const answer = await register({
      phone: uniquePhone(),
      password: "secret-pass",
      nickname: "😀".repeat(24),
    });
    expect(answer.status).toBe(200);
  });

  it("ignores unknown fields, including a user id", async () => {
    const answer = await register({
      phone: uniquePhone(),
      password: "secret-pass",
      nickname: "Extra",
      id: "ffffffffffffffffffffffffffffffff",
      status: 9,
    });
    expect(answer.status).toBe(200);
    const me = await api("GET", "/v1/user/user", { token: answer.body.data.token });
    expect(me.body.data.info.id).not.toBe("ffffffffffffffffffffffffffffffff");
    expect(me.body.data.info.status).toBe(0);
  });

  // Dozens of bcrypt hashes: slow on a busy 2-core machine, so a generous timeout.
  it("accepts at most 30 of 40 registrations sent at once from one IP (CONTRACT §9)", {
    timeout: 60_000,
  }, async () => {
    const answers = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          register(
            { phone: uniquePhone(), password: "secret-pass", nickname: "Burst" },
            "198.51.100.9",
          ),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const stored = await countRows("SELECT COUNT(*) AS n FROM users WHERE nickname = ?", "Burst");
    expect(stored).toBe(30);
  });

  it("rate limits registrations per client IP with 429 + 100008", { timeout: 60_000 }, async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 30; i++) {
      const ok = await register(
        { phone: uniquePhone(), password: "secret-pass", nickname: "Bulk" },
        ip,
      );
      expect(ok.status).toBe(200);
    }
    const limited = await register({
      phone: uniquePhone(),
      password: "secret-pass",
      nickname: "Bulk",
    }, ip);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(100008);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    const otherIp = await register({
      phone: uniquePhone(),
      password: "secret-pass",
      nickname: "Else",
    }, "198.51.100.78");
    expect(otherIp.status).toBe(200);
  });
});
