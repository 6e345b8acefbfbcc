/** Token revocation (CONTRACT §9): logout, logout everywhere, password change. */
import { describe, expect, it } from "vitest";
import { LOGIN_FAILURES_PER_PHONE_AND_IP } from "../../../shared/limits.ts";
import { api, createUser, type TestUser } from "../../helpers/http.ts";
import { connect, openUpgrade } from "../../helpers/ws.ts";

/** A second device: the same user logged in again. */
async function loginAgain(user: TestUser, ip = "198.51.100.1"): Promise<string> {
  const answer = await api("POST", "/v1/user/login", {
    body: { phone: user.phone, password: user.password },
    headers: { "CF-Connecting-IP": ip },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.token;
}

async function expectRevoked(token: string): Promise<void> {
  const answer = await api("GET", "/v1/user/user", { token });
  expect(answer.status).toBe(401);
  expect(answer.body.code).toBe(100003);
}

describe("POST /v1/user/logout", () => {
  it("revokes the presented token: 401 over HTTP, its sockets closed with 4003", async () => {
    const user = await createUser("Lena");
    const other = await loginAgain(user);
    const { socket: revoked } = await connect(user.token, { deviceId: "phone" });
    const { socket: kept } = await connect(other, { deviceId: "laptop" });

    const answer = await api("POST", "/v1/user/logout", { token: user.token, body: {} });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toEqual({});

    expect(await revoked.closed()).toEqual({ code: 4003, reason: "revoked" });
    await expectRevoked(user.token);
    expect((await api("GET", "/v1/user/user", { token: other })).status).toBe(200);
    expect((await kept.request("conversation.sync", { conversations: {} })).frameType).toBe(2);
    kept.close();
  });

  it("with all, revokes every token of the user and closes every socket", async () => {
    const user = await createUser("Lena");
    const other = await loginAgain(user);
    const { socket: phone } = await connect(user.token, { deviceId: "phone" });
    const { socket: laptop } = await connect(other, { deviceId: "laptop" });

    const answer = await api("POST", "/v1/user/logout", { token: user.token, body: { all: true } });
    expect(answer.status).toBe(200);
    expect(await phone.closed()).toEqual({ code: 4003, reason: "revoked" });
    expect(await laptop.closed()).toEqual({ code: 4003, reason: "revoked" });
    await expectRevoked(user.token);
    await expectRevoked(other);
    // A login afterwards works again.
    const fresh = await loginAgain(user, "198.51.100.2");
    expect((await api("GET", "/v1/user/user", { token: fresh })).status).toBe(200);
  });

  it("refuses a new socket for a revoked token before any upgrade", async () => {
    const user = await createUser("Lena");
    await api("POST", "/v1/user/logout", { token: user.token, body: {} });
    const response = await openUpgrade(user.token);
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
  });
});

describe("PUT /v1/user/password", () => {
  it("revokes the other tokens and returns a fresh one", async () => {
    const user = await createUser("Lena");
    const other = await loginAgain(user);
    const { socket } = await connect(other, { deviceId: "laptop" });
    const answer = await api("PUT", "/v1/user/password", {
      token: user.token,
      body: { oldPassword: user.password, newPassword: "new-secret-pass" },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toEqual({ token: expect.any(String), expire: expect.any(Number) });
    expect(await socket.closed()).toEqual({ code: 4003, reason: "revoked" });
    await expectRevoked(user.token);
    await expectRevoked(other);
    expect((await api("GET", "/v1/user/user", { token: answer.body.data.token })).status).toBe(200);
    // The new password logs in; the old one no longer does.
    await loginAgain({ ...user, password: "new-secret-pass" }, "198.51.100.3");
    const old = await api("POST", "/v1/user/login", {
      body: { phone: user.phone, password: user.password },
      headers: { "CF-Connecting-IP": "198.51.100.4" },
    });
    expect(old.status).toBe(401);
  });

  it("refuses a wrong old password with 401, and counts it as a failed login", async () => {
    const user = await createUser("Lena");
    const change = () =>
      api("PUT", "/v1/user/password", {
        token: user.token,
        body: { oldPassword: "not-the-password", newPassword: "new-secret-pass" },
        headers: { "CF-Connecting-IP": "198.51.100.9" },
      });
    const answers = await Promise.all(
      Array.from({ length: LOGIN_FAILURES_PER_PHONE_AND_IP.limit + 2 }, change),
    );
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(
      LOGIN_FAILURES_PER_PHONE_AND_IP.limit,
    );
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.headers.get("Retry-After")).not.toBeNull();
    // Nothing was revoked: the token still works.
    expect((await api("GET", "/v1/user/user", { token: user.token })).status).toBe(200);
  });
});
