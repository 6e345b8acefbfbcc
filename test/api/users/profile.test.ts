import { describe, expect, it } from "vitest";
import { api, createUser } from "../../helpers/http.ts";

describe("GET /v1/user/user", () => {
  it("returns the caller's own profile including phone", async () => {
    const user = await createUser("Mia");
    const answer = await api("GET", "/v1/user/user", { token: user.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.info).toEqual({
      id: user.id,
      phone: user.phone,
      nickname: "Mia",
      avatar: "",
      sex: 0,
      status: 0,
      createdAt: expect.any(Number),
    });
  });

  it("answers 401 + 100003 without a token", async () => {
    const answer = await api("GET", "/v1/user/user");
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(100003);
  });

  it("answers 401 for a token without the Bearer scheme", async () => {
    const user = await createUser();
    const answer = await api("GET", "/v1/user/user", { headers: { Authorization: user.token } });
    expect(answer.status).toBe(401);
  });
});

describe("PUT /v1/user/user", () => {
  it("updates only the fields given and returns the new profile", async () => {
    const user = await createUser("Old");
    const answer = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { nickname: "  New  ", sex: 1 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.info).toMatchObject({
      id: user.id,
      nickname: "New",
      sex: 1,
      avatar: "",
    });
    const avatar = await api("PUT", "/v1/user/user", {
      token: user.token,
      body: { avatar: "https://cdn.example/a.png" },
    });
    expect(avatar.body.data.info).toMatchObject({
      nickname: "New",
      sex: 1,
      avatar: "https://cdn.example/a.png",
    });
  });

  it("changes the caller only, whatever id the body names", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    await api("PUT", "/v1/user/user", {
      token: alice.token,
      body: { id: bob.id, nickname: "Hacked" },
    });
    const bobNow = await api("GET", "/v1/user/user", { token: bob.token });
    expect(bobNow.body.data.info.nickname).toBe("Bob");
  });

  it.each([
    ["nickname too long", { nickname: "x".repeat(25) }],
    ["nickname a number", { nickname: 5 }],
    ["sex out of range", { sex: -1 }],
    ["avatar not a URL", { avatar: "data:text/html,hi" }],
    ["avatar too long", { avatar: `https://x.example/${"a".repeat(1024)}` }],
  ])("refuses %s with 400 + 100002", async (_label, body) => {
    const user = await createUser();
    const answer = await api("PUT", "/v1/user/user", { token: user.token, body });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });

  it("answers 401 without a token", async () => {
    const answer = await api("PUT", "/v1/user/user", { body: { nickname: "X" } });
    expect(answer.status).toBe(401);
  });
});
