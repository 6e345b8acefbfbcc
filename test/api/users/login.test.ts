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
});
