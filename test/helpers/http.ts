/** Calls the real Worker (same app, same bindings) the way a client would. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: { code: number; msg: string; data: T };
}

export interface ApiOptions {
  token?: string;
  /** A value to JSON-encode, or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request to the Worker and parses the envelope. */
// deno-lint-ignore no-explicit-any -- tests read whatever shape the route answers
export async function api<T = any>(
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiAnswer<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const response = await exports.default.fetch(
    new Request(`https://chat.test${path}`, { method, headers, body }),
  );
  return { status: response.status, headers: response.headers, body: await response.json() };
}

let phoneCounter = 0;

/** A phone number no other test in this file has used. */
export function uniquePhone(): string {
  phoneCounter += 1;
  return `1${String(Date.now() % 1e6).padStart(6, "0")}${String(phoneCounter).padStart(4, "0")}`;
}

export interface TestUser {
  id: string;
  token: string;
  phone: string;
  password: string;
  nickname: string;
}

/** Registers a fresh user and returns its id and token. */
export async function createUser(nickname = "Tester", password = "secret-pass"): Promise<TestUser> {
  const phone = uniquePhone();
  const registered = await api("POST", "/v1/user/register", {
    body: { phone, password, nickname },
    // Each test user comes from its own address, so registration limits never couple tests.
    headers: { "CF-Connecting-IP": `10.0.${phoneCounter >> 8}.${phoneCounter & 255}` },
  });
  if (registered.status !== 200) {
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const token = registered.body.data.token as string;
  const me = await api("GET", "/v1/user/user", { token });
  return { id: me.body.data.info.id, token, phone, password, nickname };
}

/** Asserts a refusal: `status`, and the contract's envelope with `code` and a message. */
export function expectRefusal(answer: ApiAnswer, status: number, code: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body).toEqual({ code, msg: expect.any(String), data: null });
}
