import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  secretProblem,
  signAccessToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifyAccessToken,
} from "../../../shared/auth/tokens.ts";
import { ConfigurationError, UnauthorizedError } from "../../../shared/errors.ts";
import { createApp } from "../../../workers/api/app.ts";
import { api, createUser, uniquePhone } from "../../helpers/http.ts";

const secret = env.JWT_SECRET;
const key = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}) {
  return {
    sub: "user-1",
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
}

async function signed(payload: Record<string, unknown>, signingKey = key, alg = "HS256") {
  const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  return await new SignJWT(clean).setProtectedHeader({ alg }).sign(signingKey);
}

describe("verifyAccessToken", () => {
  it("returns the subject and exp of a token it signed", async () => {
    const issued = await signAccessToken("user-1", { secret, ttlSeconds: 60 });
    expect(await verifyAccessToken(issued.token, { secret })).toEqual({
      userId: "user-1",
      expire: issued.expire,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      version: 0,
    });
  });

  it("refuses an unsigned alg:none token", async () => {
    const none = new UnsecuredJWT(claims()).encode();
    await expect(verifyAccessToken(none, { secret })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("refuses a token signed with another secret", async () => {
    const other = await signed(
      claims(),
      new TextEncoder().encode("another-secret-0123456789abcdef-0123"),
    );
    await expect(verifyAccessToken(other, { secret })).rejects.toThrow("token is invalid");
  });

  it("follows a changed secret at once, though the key is kept per isolate", async () => {
    const rotated = "a-rotated-secret-0123456789abcdefghij";
    const old = await signAccessToken("user-1", { secret, ttlSeconds: 60 });
    await verifyAccessToken(old.token, { secret });
    await expect(verifyAccessToken(old.token, { secret: rotated })).rejects.toThrow(
      "token is invalid",
    );
    const fresh = await signAccessToken("user-2", { secret: rotated, ttlSeconds: 60 });
    expect((await verifyAccessToken(fresh.token, { secret: rotated })).userId).toBe("user-2");
    await expect(verifyAccessToken(fresh.token, { secret })).rejects.toThrow("token is invalid");
    expect((await verifyAccessToken(old.token, { secret })).userId).toBe("user-1");
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const token = await signed(claims());
    const [header, , signature] = token.split(".");
    const forged = btoa(JSON.stringify(claims({ sub: "admin" }))).replace(/=+$/, "").replaceAll(
      "+",
      "-",
    )
      .replaceAll("/", "_");
    await expect(verifyAccessToken(`${header}.${forged}.${signature}`, { secret })).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it("refuses a tampered copy of a token it verified before", async () => {
    const issued = await signAccessToken("user-1", { secret, ttlSeconds: 60 });
    await verifyAccessToken(issued.token, { secret });
    const [header, , signature] = issued.token.split(".");
    const forged = btoa(JSON.stringify(claims({ sub: "someone-else" })))
      .replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
    await expect(verifyAccessToken(`${header}.${forged}.${signature}`, { secret })).rejects
      .toThrow("token is invalid");
    expect((await verifyAccessToken(issued.token, { secret })).userId).toBe("user-1");
  });

  it("expires a token it verified before at its exp", async () => {
    const issued = await signAccessToken("user-1", { secret, ttlSeconds: 60 }, now() - 59);
    expect((await verifyAccessToken(issued.token, { secret })).userId).toBe("user-1");
    await new Promise((resolve) => setTimeout(resolve, (issued.expire - Date.now() / 1000) * 1000));
    await expect(verifyAccessToken(issued.token, { secret })).rejects.toThrow("token expired");
    await expect(verifyAccessToken(issued.token, { secret })).rejects.toThrow("token expired");
  });

  it("refuses an expired token with 'token expired'", async () => {
    const expired = await signed(claims({ iat: now() - 120, exp: now() - 60 }));
    await expect(verifyAccessToken(expired, { secret })).rejects.toThrow("token expired");
  });

  it.each([
    ["sub", { sub: undefined }],
    ["exp", { exp: undefined }],
    ["iat", { iat: undefined }],
    ["iss", { iss: undefined }],
    ["aud", { aud: undefined }],
  ])("refuses a token missing %s", async (_claim, override) => {
    const token = await signed(claims(override));
    await expect(verifyAccessToken(token, { secret })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("refuses the wrong issuer or audience", async () => {
    await expect(verifyAccessToken(await signed(claims({ iss: "someone-else" })), { secret }))
      .rejects
      .toBeInstanceOf(UnauthorizedError);
    await expect(verifyAccessToken(await signed(claims({ aud: "someone-else" })), { secret }))
      .rejects
      .toBeInstanceOf(UnauthorizedError);
  });

  it("refuses another HMAC algorithm even with the right key", async () => {
    const hs512 = await signed(claims(), new TextEncoder().encode(secret.repeat(2)), "HS512");
    await expect(verifyAccessToken(hs512, { secret })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("refuses garbage", async () => {
    await expect(verifyAccessToken("not.a.jwt", { secret })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });
});

describe("JWT_SECRET", () => {
  it("must be at least 32 bytes to sign", async () => {
    await expect(signAccessToken("u", { secret: "x".repeat(31), ttlSeconds: 60 })).rejects
      .toBeInstanceOf(
        ConfigurationError,
      );
    await expect(signAccessToken("u", { secret: undefined, ttlSeconds: 60 })).rejects
      .toBeInstanceOf(
        ConfigurationError,
      );
    await expect(signAccessToken("u", { secret: "0123456789abcdef".repeat(2), ttlSeconds: 60 }))
      .resolves.toBeDefined();
  });

  it("refuses placeholder values that are long enough (CONTRACT §9)", async () => {
    const placeholders = [
      // .dev.vars.example's value, as a deployment that copied it would have it.
      "replace-with-at-least-32-random-bytes-of-secret",
      "CHANGEME-changeme-CHANGEME-changeme-1234",
      "your-secret-goes-here-0123456789abcdef",
      "x".repeat(64),
      "secretsecretsecretsecretsecretsecret",
    ];
    for (const placeholder of placeholders) {
      expect(secretProblem(placeholder), placeholder).toBeDefined();
      await expect(signAccessToken("u", { secret: placeholder, ttlSeconds: 60 })).rejects
        .toBeInstanceOf(ConfigurationError);
      await expect(verifyAccessToken("a.b.c", { secret: placeholder })).rejects
        .toBeInstanceOf(ConfigurationError);
    }
    expect(secretProblem(crypto.randomUUID() + crypto.randomUUID())).toBeUndefined();
  });

  it("too short makes register answer a generic 500 + 100001, leaking nothing", async () => {
    const app = createApp();
    const phone = uniquePhone();
    const request = new Request("https://chat.test/v1/user/register", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.200" },
      body: JSON.stringify({ phone, password: "secret-pass", nickname: "Short" }),
    });
    const response = await app.fetch(
      request,
      { ...env, JWT_SECRET: "too-short" },
      createExecutionContext(),
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 100001, msg: "internal error", data: null });
    // Refused before any work: no account without a token.
    const row = await env.DB.prepare("SELECT id FROM users WHERE phone = ?").bind(phone).first();
    expect(row).toBeNull();
  });
});

describe("JWT_TTL_SECONDS", () => {
  it("sets the token lifetime", async () => {
    const app = createApp();
    const request = new Request("https://chat.test/v1/user/register", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.201" },
      body: JSON.stringify({ phone: uniquePhone(), password: "secret-pass", nickname: "Ttl" }),
    });
    const response = await app.fetch(
      request,
      { ...env, JWT_TTL_SECONDS: "120" },
      createExecutionContext(),
    );
    const body = await response.json<{ data: { expire: number } }>();
    expect(body.data.expire - now()).toBeGreaterThanOrEqual(119);
    expect(body.data.expire - now()).toBeLessThanOrEqual(121);
  });
});

describe("authenticated routes", () => {
  it.each([
    ["alg:none", () => Promise.resolve(new UnsecuredJWT(claims()).encode())],
    ["expired", async () => await signed(claims({ iat: now() - 120, exp: now() - 60 }))],
    [
      "another secret",
      async () => await signed(claims(), new TextEncoder().encode("z".repeat(40))),
    ],
  ])("answer 401 + 100003 to a %s token", async (_label, makeToken) => {
    const answer = await api("GET", "/v1/user/user", { token: await makeToken() });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(100003);
  });

  it("take the actor from the token's subject", async () => {
    const user = await createUser("Subject");
    const token = await signed(claims({ sub: user.id }));
    const answer = await api("GET", "/v1/user/user", { token });
    expect(answer.body.data.info.id).toBe(user.id);
  });
});
