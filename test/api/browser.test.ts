// CONTRACT §9 "Browsers": CORS from ALLOWED_ORIGINS, X-Request-Id, security headers, log lines.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../workers/api/index.ts";
import { api, createUser } from "../helpers/http.ts";

const ALLOWED = "https://app.example, https://admin.example";

/** The same Worker with ALLOWED_ORIGINS set, called directly with a modified env. */
function fetchWithOrigins(allowed: string, path: string, init: RequestInit = {}) {
  const ctx = {
    waitUntil() {},
    passThroughOnException() {},
    props: {},
  } as unknown as ExecutionContext;
  const request = new Request(`https://chat.test${path}`, init);
  return worker.fetch(request, { ...env, ALLOWED_ORIGINS: allowed }, ctx);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CORS", () => {
  it("answers a preflight from a listed origin with the methods and headers the API takes", async () => {
    const response = await fetchWithOrigins(ALLOWED, "/v1/user/user", {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    const methods = response.headers.get("Access-Control-Allow-Methods") ?? "";
    for (const method of ["GET", "POST", "PUT", "DELETE"]) expect(methods).toContain(method);
    const headers = (response.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase();
    for (const header of ["authorization", "content-type", "idempotency-key"]) {
      expect(headers).toContain(header);
    }
  });

  it("puts Access-Control-Allow-Origin on answers to a listed origin, errors included", async () => {
    const user = await createUser();
    const ok = await fetchWithOrigins(ALLOWED, "/v1/user/user", {
      headers: { Origin: "https://admin.example", Authorization: `Bearer ${user.token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://admin.example");
    expect(ok.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    const refused = await fetchWithOrigins(ALLOWED, "/v1/user/user", {
      headers: { Origin: "https://app.example" },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
  });

  it("gives an origin that is not listed no CORS headers", async () => {
    const preflight = await fetchWithOrigins(ALLOWED, "/v1/user/user", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const answer = await fetchWithOrigins(ALLOWED, "/health", {
      headers: { Origin: "https://evil.example" },
    });
    expect(answer.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("allows any origin while ALLOWED_ORIGINS is empty (local development)", async () => {
    const answer = await fetchWithOrigins("", "/health", {
      headers: { Origin: "http://localhost:5173" },
    });
    expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:5173");
  });
});

describe("X-Request-Id", () => {
  it("is on every answer: a new id when the client sent none", async () => {
    const first = await api("GET", "/health");
    const second = await api("GET", "/v1/no/such/route");
    const ids = [first.headers.get("X-Request-Id"), second.headers.get("X-Request-Id")];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("keeps a sane id the client sent and replaces one that is not", async () => {
    const kept = await api("GET", "/health", { headers: { "X-Request-Id": "client-42.a:b" } });
    expect(kept.headers.get("X-Request-Id")).toBe("client-42.a:b");
    const replaced = await api("GET", "/health", {
      headers: { "X-Request-Id": `x${"y".repeat(200)} <script>` },
    });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("appears in the request's JSON log line with method, path, status, ms and the user", async () => {
    const user = await createUser();
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    const answer = await api("GET", "/v1/user/user", {
      token: user.token,
      headers: { "X-Request-Id": "trace-me" },
    });
    expect(answer.status).toBe(200);
    const logged = lines.map((line) => JSON.parse(line)).find((entry) =>
      entry.requestId === "trace-me"
    );
    expect(logged).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      path: "/v1/user/user",
      status: 200,
      requestId: "trace-me",
      userId: user.id,
    });
    expect(typeof logged.ms).toBe("number");
  });
});

describe("security headers", () => {
  it("sends nosniff on API answers and a restrictive CSP on the HTML reference page", async () => {
    const health = await api("GET", "/health");
    expect(health.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const page = await fetchWithOrigins("", "/docs");
    expect(page.headers.get("Content-Type")).toContain("text/html");
    const csp = page.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
