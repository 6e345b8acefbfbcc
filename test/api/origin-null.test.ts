/**
 * CORS never allows the opaque origin `null` (CONTRACT §15): not with the shipped empty
 * ALLOWED_ORIGINS, not even when someone lists it; the WebSocket Origin check agrees.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/api/index.ts";
import { createUser } from "../helpers/http.ts";

/** The same Worker with ALLOWED_ORIGINS set, called directly with a modified env. */
function fetchWithOrigins(allowed: string, path: string, init: RequestInit = {}) {
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const request = new Request(`https://chat.test${path}`, init);
  return worker.fetch(
    request,
    { ...env, ALLOWED_ORIGINS: allowed },
    ctx as unknown as ExecutionContext,
  );
}

describe("Origin: null", () => {
  it.each([
    ["the empty list", ""],
    ["a list that names it", "https://app.example, null"],
  ])("gets no CORS headers with %s, preflight or not", async (_, allowed) => {
    const user = await createUser();
    const preflight = await fetchWithOrigins(allowed, "/v1/user/user", {
      method: "OPTIONS",
      headers: { Origin: "null", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const read = await fetchWithOrigins(allowed, "/v1/user/user", {
      headers: { Origin: "null", Authorization: `Bearer ${user.token}` },
    });
    expect(read.headers.get("Access-Control-Allow-Origin")).toBeNull();
    // A real origin is still answered as before: any while the list is empty.
    const real = await fetchWithOrigins(allowed, "/v1/user/user", {
      headers: { Origin: "https://app.example", Authorization: `Bearer ${user.token}` },
    });
    expect(real.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
  });

  it("may not open a WebSocket, with the empty list", async () => {
    const user = await createUser();
    const upgrade = await fetchWithOrigins("", `/v1/im/ws?token=${user.token}`, {
      headers: { Upgrade: "websocket", Origin: "null" },
    });
    expect(upgrade.status).toBe(403);
    expect(await upgrade.json()).toEqual({
      code: 100006,
      msg: "Origin is not allowed to open WebSockets",
      data: null,
    });
  });
});
