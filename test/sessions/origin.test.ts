import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/api/index.ts";
import { createUser } from "../helpers/http.ts";
import { openUpgrade } from "../helpers/ws.ts";

/** The same Worker with ALLOWED_ORIGINS set, called directly with a modified env. */
function upgradeWithOrigins(allowed: string, origin: string | undefined, token: string) {
  const headers = new Headers({ Upgrade: "websocket" });
  if (origin) headers.set("Origin", origin);
  const request = new Request(`https://chat.test/v1/im/ws?token=${token}`, { headers });
  const ctx = {
    waitUntil() {},
    passThroughOnException() {},
    props: {},
  } as unknown as ExecutionContext;
  return worker.fetch(request, { ...env, ALLOWED_ORIGINS: allowed }, ctx);
}

describe("GET /v1/im/ws Origin check", () => {
  it("refuses an Origin not in ALLOWED_ORIGINS with 403 and no upgrade", async () => {
    const alice = await createUser("Alice");
    const response = await upgradeWithOrigins(
      "https://app.example, https://admin.example",
      "https://evil.example",
      alice.token,
    );
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
    expect(await response.json()).toMatchObject({ code: 100006, data: null });
  });

  it("accepts an Origin in ALLOWED_ORIGINS", async () => {
    const alice = await createUser("Alice");
    const response = await upgradeWithOrigins(
      "https://app.example, https://admin.example",
      "https://admin.example",
      alice.token,
    );
    expect(response.status).toBe(101);
    response.webSocket!.accept();
    response.webSocket!.close(1000, "bye");
  });

  it("accepts a client without Origin even when ALLOWED_ORIGINS is set", async () => {
    const alice = await createUser("Alice");
    const response = await upgradeWithOrigins("https://app.example", undefined, alice.token);
    expect(response.status).toBe(101);
    response.webSocket!.accept();
    response.webSocket!.close(1000, "bye");
  });

  it("accepts any Origin while ALLOWED_ORIGINS is empty (local development)", async () => {
    const alice = await createUser("Alice");
    const response = await openUpgrade(alice.token, {
      headers: { Origin: "https://anything.example" },
    });
    expect(response.status).toBe(101);
    response.webSocket!.accept();
    response.webSocket!.close(1000, "bye");
  });
});
