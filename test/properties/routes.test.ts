/**
 * Every route in the app's own OpenAPI document, walked at run time (a route added later is
 * covered, or fails the walk until it has a valid request in world.ts): generated bad requests —
 * one field broken, random bodies, raw JSON tricks, oversized bodies, bad tokens, bad query
 * values — get a 4xx with the contract's code and change nothing stored. Each route starts with
 * the world's limit windows empty, so its broken bodies and queries reach its validation (a 429
 * fails the case). How many reached it is annotated on each route's test (`--reporter=verbose`
 * shows it) and printed as one table after the file (`--silent=false`).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";
import type { Components, JsonSchema } from "./json-schema.ts";
import {
  badAuthorizations,
  badRequests,
  countAnswer,
  describeTallies,
  expectRefused,
  newTally,
  type Operation,
  type RouteTally,
  send,
} from "./requests.ts";
import { resetLimits, snapshot } from "./snapshot.ts";
import { buildWorld, validRequests, type World } from "./world.ts";

/** Runs per route: ~30 routes × this stays well under the folder's one-minute budget. */
const RUNS_PER_ROUTE = 25;

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, {
      security?: unknown[];
      parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
      requestBody?: { content: Record<string, { schema: JsonSchema }> };
    }>
  >;
  components: { schemas: Components };
}

// The document needs no state: read it once, before the tests are collected.
const doc = (await api("GET", "/openapi.json")).body as unknown as OpenApiDocument;
const components = doc.components.schemas;
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    secured: (operation.security?.length ?? 0) > 0,
    params: (operation.parameters ?? []).filter((param) => param.in === "query").map((param) => ({
      name: param.name,
      required: param.required ?? false,
      schema: param.schema,
    })),
    body: operation.requestBody?.content["application/json"]?.schema,
  }))
);

describe("bad requests to every documented route", () => {
  let world: World;
  let authorizations: (string | undefined)[];
  const tallies = new Map<string, RouteTally>();

  beforeAll(async () => {
    world = await buildWorld();
    authorizations = await badAuthorizations(world.alice.token);
  });

  afterAll(() => {
    console.log(`bad requests per route that reached validation:\n${describeTallies(tallies)}`);
  });

  it("has a valid request to start from for every route in /openapi.json", () => {
    const documented = operations.map((op) => `${op.method} ${op.path}`).sort();
    expect(documented.length).toBeGreaterThan(25);
    expect(Object.keys(validRequests(world)).sort()).toEqual(documented);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}: refused with the contract's code, nothing stored`, async ({ annotate }) => {
      const valid = validRequests(world)[`${op.method} ${op.path}`];
      if (!valid) throw new Error(`no valid request for ${op.method} ${op.path} in world.ts`);
      const token = valid.as === "none" ? undefined : world[valid.as].token;
      const tally = newTally();
      tallies.set(`${op.method} ${op.path}`, tally);
      await resetLimits(world);
      const before = await snapshot(world);
      if (!op.secured && !op.body && op.params.length === 0) {
        // No token, query or body (GET /v1/push/key): no request to it is a bad one.
        expect((await api(op.method, op.path)).status).toBe(200);
        expect(await snapshot(world)).toEqual(before);
        return;
      }
      await fc.assert(
        fc.asyncProperty(
          badRequests(op, valid, token, authorizations, components),
          async (request) => {
            const answer = await send(request);
            countAnswer(tally, request, answer);
            expectRefused(request, answer);
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
      await annotate(describeTallies(new Map([[`${op.method} ${op.path}`, tally]])));
      expect(await snapshot(world)).toEqual(before);
      // A route with a body or query to break had some of it reach validation.
      if (op.body || op.params.length > 0) expect(tally.reachedValidation).toBeGreaterThan(0);
    });
  }
});
