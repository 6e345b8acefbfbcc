/** Pieces every route declaration uses, so each module only says what is particular to it. */
import {
  createRoute,
  type OpenAPIHono,
  type RouteConfig,
  type RouteHandler,
  type z,
} from "@hono/zod-openapi";
import type { Context } from "hono";
import { ok } from "../../shared/envelope.ts";
import { takeOrThrow } from "../../shared/rate-limit.ts";
import {
  authedErrorResponses,
  commonErrorResponses,
  envelopeOf,
  errorResponse,
} from "../../shared/http/schemas.ts";
import type { Actor } from "../../shared/social/actor.ts";
import type { AppEnv } from "./env.ts";
import { requireAuth } from "./middleware/auth.ts";
import { sessionRateLimiter } from "./middleware/route-limits.ts";

/** Security requirement for routes that need `Authorization: Bearer`. */
export const bearerSecurity = [{ bearerAuth: [] }];

type Method = "get" | "post" | "put" | "delete";

/** The statuses a route may name beyond the common ones (400, 413, 500, and 401 with a token). */
type RouteErrorStatus = 401 | 403 | 404 | 409 | 429;

/** What a module says about one route; tags, auth, envelopes and common errors come from here. */
interface RouteSpec<B, Q, D extends z.ZodType> {
  summary: string;
  description?: string;
  /** Schema of the required JSON body. */
  body?: B;
  /** Schema of the query string. */
  query?: Q;
  /** The 200 answer: what it means, and the schema of the envelope's `data`. */
  ok: [description: string, data: D];
  /** The route's own error answers: status → description (with the application code). */
  errors?: { [S in RouteErrorStatus]?: string };
}

type ErrorAnswer = ReturnType<typeof errorResponse>;

/** The createRoute config a spec stands for, typed so handlers see their body, query and data. */
type RouteConfigOf<M extends Method, P extends string, B, Q, D extends z.ZodType> = {
  method: M;
  path: P;
  // The intersection with RouteConfig's own request keeps it a RouteConfig while B and Q are open.
  request:
    & Omit<NonNullable<RouteConfig["request"]>, "body">
    & { body: B extends z.ZodType ? ReturnType<typeof jsonBody<B>> : undefined }
    & (Q extends z.ZodObject ? { query: Q } : object);
  responses:
    & { 200: ReturnType<typeof successResponse<D>> }
    & {
      [S in RouteErrorStatus | keyof typeof authedErrorResponses]?: ErrorAnswer;
    };
};

/** The OpenAPI route of `spec`, with `common` error answers under every route of the module. */
function declareRoute<M extends Method, P extends string, B, Q, D extends z.ZodType>(
  method: M,
  path: P,
  spec: RouteSpec<B, Q, D>,
  common: Record<number, ErrorAnswer>,
) {
  const { body, query, ok, errors = {}, ...described } = spec;
  const ownErrors = Object.entries(errors).map(([status, text]) => [status, errorResponse(text)]);
  return {
    ...described,
    method,
    path,
    request: {
      ...(body !== undefined && { body: jsonBody(body as z.ZodType) }),
      ...(query !== undefined && { query }),
    },
    responses: {
      ...common,
      ...Object.fromEntries(ownErrors),
      200: successResponse(...ok),
    },
  } as unknown as RouteConfigOf<M, P, B, Q, D>;
}

/** What a route's handler is given: the context, with the validated body and query typed. */
type RouteContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];

/** What one route declaration adds to `spec` beyond the method and path (tags, auth). */
type RouteExtras = Partial<RouteConfig>;

/**
 * Declares routes on `router`, each with the function that makes its 200 `data`: the helper
 * answers `ok(data)`, and any thrown AppError becomes its error answer in `onError`.
 */
function routeTable<X extends RouteExtras>(
  router: OpenAPIHono<AppEnv>,
  common: Record<number, ErrorAnswer>,
  extras: X,
) {
  const declare =
    <M extends Method>(method: M) =>
    <P extends string, B = undefined, Q = undefined, D extends z.ZodType = z.ZodType>(
      path: P,
      spec: RouteSpec<B, Q, D>,
      answer: (c: RouteContext<RouteConfigOf<M, P, B, Q, D> & X>) => Promise<z.input<D>>,
    ) => {
      const route = createRoute({ ...declareRoute(method, path, spec, common), ...extras });
      // `c` is this route's context; TypeScript cannot reduce the open route's input type here,
      // so `answer`'s parameter type is what types each module's handler.
      router.openapi(route, async (c) => c.json(ok(await answer(c as never)), 200));
    };
  return {
    get: declare("get"),
    post: declare("post"),
    put: declare("put"),
    delete: declare("delete"),
  };
}

/**
 * Declares routes on `router` that need a bearer token, under OpenAPI `tag`.
 * The one switch both enforces the token (requireAuth, before validation) and documents it
 * (`security`, the 401), so the document and the check cannot drift apart. It rides on each
 * route rather than `router.use("*")`, which would also cover every other route and unknown path
 * under the prefix the router is mounted at.
 */
export function tokenRoutes(router: OpenAPIHono<AppEnv>, tag: string) {
  return routeTable(router, authedErrorResponses, {
    tags: [tag],
    security: bearerSecurity,
    middleware: [requireAuth] as const,
  });
}

/** Declares routes on `router` that need no token (register, login), under OpenAPI `tag`. */
export function publicRoutes(router: OpenAPIHono<AppEnv>, tag: string) {
  return routeTable(router, commonErrorResponses, { tags: [tag] });
}

/** The caller of a token route as the social services take it, with their pushes and limits. */
export function actorOf(c: Context<AppEnv>): Actor {
  const { db, membershipEvents: events, socialPushes: pushes, userId } = c.var;
  const limiter = sessionRateLimiter(c.env.USER_SESSION);
  return {
    db,
    events,
    userId,
    pushes,
    limits: { take: async (rules, what) => void await takeOrThrow(limiter, userId, rules, what) },
  };
}

/** A required JSON request body validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** A 200 answer whose envelope carries `data`. */
export function successResponse<T extends z.ZodType>(description: string, data: T) {
  return { description, content: { "application/json": { schema: envelopeOf(data) } } };
}
