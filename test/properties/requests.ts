/**
 * Bad HTTP requests for one documented route, and how they are sent and judged: every answer is
 * a 4xx with the contract's envelope and the code that belongs to its status, never a 5xx.
 */
import fc from "fast-check";
import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { signAccessToken } from "../../shared/auth/tokens.ts";
import { ERROR_CODE } from "../../shared/errors.ts";
import { MAX_BODY_BYTES } from "../../shared/limits.ts";
import {
  mutatedQuery,
  mutatedValue,
  type QueryParam,
  randomBadValue,
  rawBadBody,
} from "./arbitraries.ts";
import type { Components, JsonSchema } from "./json-schema.ts";
import type { ValidRequest } from "./world.ts";

/** The application code each error status must carry (CONTRACT §1). */
export const CODE_FOR_STATUS: Record<number, number> = {
  400: ERROR_CODE.invalidParams,
  401: ERROR_CODE.unauthorized,
  403: ERROR_CODE.forbidden,
  404: ERROR_CODE.notFound,
  409: ERROR_CODE.conflict,
  413: ERROR_CODE.payloadTooLarge,
  429: ERROR_CODE.rateLimited,
};

/** What a generated request broke, and so which answers are right for it. */
export type BadKind = "body" | "query" | "token" | "size";

/**
 * No kind here tests a limit, so 429 is never right: the route tests empty the world's limit
 * windows before each route (snapshot.ts resetLimits), and a 429 would mean a limit hid the check
 * the case is about.
 */
export const ALLOWED_STATUSES: Record<BadKind, number[]> = {
  body: [400, 413],
  query: [400],
  token: [401],
  size: [413],
};

export interface BadRequest {
  kind: BadKind;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Raw body text (already JSON-encoded when it came from a value). */
  body?: string;
  headers: Record<string, string>;
}

export interface Operation {
  method: string;
  path: string;
  secured: boolean;
  params: QueryParam[];
  body?: JsonSchema;
}

/** Authorization header values that must all be refused (undefined: no header). */
export async function badAuthorizations(token: string): Promise<(string | undefined)[]> {
  const [, , signature = ""] = token.split(".");
  const flipped = signature.startsWith("A") ? "B" : "A";
  const other = await signAccessToken("0".repeat(32), {
    secret: "another-secret-0123456789abcdef0123456789",
    ttlSeconds: 3600,
  });
  const expired = await signAccessToken("0".repeat(32), {
    secret: env.JWT_SECRET,
    ttlSeconds: 60,
  }, Math.floor(Date.now() / 1000) - 7200);
  return [
    undefined,
    "",
    "Bearer",
    "Bearer ",
    token,
    `Basic ${token}`,
    `Bearer ${token.replace(signature, flipped + signature.slice(1))}`,
    `Bearer ${other.token}`,
    `Bearer ${expired.token}`,
    `Bearer ${token}.x`,
    "Bearer null",
  ];
}

/** Every kind of bad request this operation admits, built from its valid request. */
export function badRequests(
  op: Operation,
  valid: ValidRequest,
  token: string | undefined,
  authorizations: (string | undefined)[],
  components: Components,
): fc.Arbitrary<BadRequest> {
  const headers = { ...valid.headers, ...(token && { Authorization: `Bearer ${token}` }) };
  const validQuery = valid.query ?? {};
  const validBody = valid.body === undefined ? undefined : JSON.stringify(valid.body);
  const base = { method: op.method, path: valid.path ?? op.path, query: validQuery, headers };
  const withBody = (kind: BadKind, body: string, extra: Record<string, string> = {}) => ({
    ...base,
    kind,
    body,
    headers: { "Content-Type": "application/json", ...headers, ...extra },
  });
  const choices: fc.Arbitrary<BadRequest>[] = [];
  if (op.body && valid.body) {
    const schema = op.body;
    choices.push(
      mutatedValue(schema, valid.body, components).map((v) => withBody("body", JSON.stringify(v))),
      randomBadValue(schema, components).map((v) => withBody("body", JSON.stringify(v))),
      rawBadBody(schema, valid.body, components).map((text) => withBody("body", text)),
      fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "")
        .map((type) => withBody("body", validBody!, { "Content-Type": type })),
      fc.integer({ min: 1, max: 4096 }).map((extra) => {
        const padding = "x".repeat(MAX_BODY_BYTES + extra);
        return withBody("size", JSON.stringify({ ...valid.body, padding }));
      }),
    );
  }
  const constrained = op.params.filter(({ schema }) => constrains(schema));
  if (constrained.length > 0) {
    choices.push(
      mutatedQuery(constrained, validQuery).map((query) => ({
        ...base,
        kind: "query" as const,
        query,
        ...(validBody && {
          body: validBody,
          headers: { "Content-Type": "application/json", ...headers },
        }),
      })),
    );
  }
  if (op.secured) {
    const header = fc.oneof(
      fc.constantFrom(...authorizations),
      // Header values are ASCII on the wire; odd Unicode belongs in bodies and frames.
      fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`),
    );
    choices.push(header.map((authorization) => {
      const { Authorization: _dropped, ...rest } = headers;
      return {
        ...base,
        kind: "token" as const,
        headers: {
          ...rest,
          ...(validBody && { "Content-Type": "application/json" }),
          ...(authorization !== undefined && { Authorization: authorization }),
        },
        ...(validBody && { body: validBody }),
      };
    }));
  }
  if (choices.length === 0) throw new Error(`${op.method} ${op.path}: nothing to break`);
  return fc.oneof(...choices);
}

/** A documented query parameter some text can violate (not a free-form string). */
function constrains(schema: JsonSchema): boolean {
  const types = [schema.type ?? []].flat();
  return types.includes("integer") || types.includes("number") || schema.pattern !== undefined ||
    schema.maxLength !== undefined || schema.minLength !== undefined || schema.enum !== undefined;
}

export interface Answer {
  status: number;
  text: string;
  body: unknown;
}

/** Sends `request` to the real Worker and reads the answer (a 101 upgrade is closed at once). */
export async function send(request: BadRequest): Promise<Answer> {
  const url = new URL(`https://chat.test${request.path}`);
  for (const [key, value] of Object.entries(request.query)) {
    for (const item of [value].flat()) url.searchParams.append(key, item);
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) headers.set(key, value);
  const response = await exports.default.fetch(
    new Request(url, { method: request.method, headers, body: request.body }),
  );
  if (response.webSocket) {
    response.webSocket.accept();
    response.webSocket.close(1000, "property test");
    return { status: response.status, text: "<websocket>", body: undefined };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

/** Asserts the contract's refusal: an allowed 4xx, the envelope, the status's code. */
export function expectRefused(request: BadRequest, answer: Answer): void {
  const shown = `${answer.status} ${answer.text.slice(0, 300)}`;
  expect(ALLOWED_STATUSES[request.kind], shown).toContain(answer.status);
  expect(answer.body, shown).toEqual({
    code: CODE_FOR_STATUS[answer.status],
    msg: expect.any(String),
    data: null,
  });
  expect((answer.body as { msg: string }).msg.length, shown).toBeGreaterThan(0);
}

/** What one route's cases met: how many were sent, how many reached its validation. */
export interface RouteTally {
  sent: number;
  /** Cases with a broken body or query under 64 KiB: the ones validation is for. */
  brokenInput: number;
  /** Broken bodies that long generated strings took over 64 KiB: 413 before validation. */
  oversized: number;
  /** Of those, the ones the route's validation refused (400): not a limit, not the token check. */
  reachedValidation: number;
  statuses: Record<number, number>;
}

export function newTally(): RouteTally {
  return { sent: 0, brokenInput: 0, oversized: 0, reachedValidation: 0, statuses: {} };
}

export function countAnswer(tally: RouteTally, request: BadRequest, answer: Answer): void {
  tally.sent += 1;
  tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
  if (request.kind !== "body" && request.kind !== "query") return;
  if (answer.status === 413) {
    tally.oversized += 1;
    return;
  }
  tally.brokenInput += 1;
  if (answer.status === 400) tally.reachedValidation += 1;
}

/** One line per route: "PUT /v1/im/chat  25 sent, 17 of 17 broken bodies/queries validated…". */
export function describeTallies(tallies: Map<string, RouteTally>): string {
  const width = Math.max(...[...tallies.keys()].map((route) => route.length));
  return [...tallies].map(([route, t]) => {
    const statuses = Object.entries(t.statuses).map(([status, n]) => `${status}×${n}`).join(" ");
    return `${route.padEnd(width)}  ${String(t.sent).padStart(3)} sent, ` +
      `${t.reachedValidation}/${t.brokenInput} broken bodies/queries reached validation ` +
      `(${t.oversized} more over 64 KiB; answers ${statuses})`;
  }).join("\n");
}
