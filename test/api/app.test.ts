import { describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";

describe("GET /health", () => {
  it("answers ok in the envelope", async () => {
    const answer = await api("GET", "/health");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ code: 200, msg: "ok", data: { status: "ok" } });
  });
});

describe("unknown routes", () => {
  it("answer 404 + 100005 in the envelope", async () => {
    const answer = await api("GET", "/v1/nothing/here");
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: 100005, data: null });
    expect(answer.body.msg).toContain("/v1/nothing/here");
  });
});

describe("request bodies", () => {
  it("refuses malformed JSON with 400 + 100002", async () => {
    const answer = await api("POST", "/v1/user/register", { body: "{not json" });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 100002, msg: "body is not valid JSON", data: null });
  });

  it("refuses a body over 64 KiB with 413 + 100009", async () => {
    const huge = JSON.stringify({ phone: "13800000000", password: "x".repeat(70_000) });
    const answer = await api("POST", "/v1/user/register", { body: huge });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 100009, data: null });
    expect(answer.body.msg).toContain("65536");
  });

  it("refuses a JSON array where an object is expected", async () => {
    const answer = await api("POST", "/v1/user/login", { body: "[1,2]" });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });

  it("refuses a body that is not JSON with 400 + 100002, not a crash", async () => {
    const answer = await api("POST", "/v1/user/login", {
      body: "phone=1&password=2",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
    expect(answer.body.msg).toContain("application/json");
  });
});

describe("GET /openapi.json and /docs", () => {
  it("documents the user routes with a bearer security scheme", async () => {
    const answer = await api("GET", "/openapi.json");
    expect(answer.status).toBe(200);
    const doc = answer.body as unknown as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/user/register",
        "/v1/user/login",
        "/v1/user/user",
        "/v1/user/find",
      ]),
    );
    expect(Object.keys(doc.paths["/v1/user/user"]!)).toEqual(
      expect.arrayContaining(["get", "put"]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("serves an HTML reference page that loads /openapi.json", async () => {
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch("https://chat.test/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toContain('data-url="/openapi.json"');
  });
});
