/** Pieces every route declaration uses, so each module only says what is particular to it. */
import { createRoute, type RouteConfig, type z } from "@hono/zod-openapi";
import {
  authedErrorResponses,
  commonErrorResponses,
  envelopeOf,
} from "../../shared/http/schemas.ts";
import { requireAuth } from "./middleware/auth.ts";

/** Security requirement for routes that need `Authorization: Bearer`. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** What a module says about one route; tags, security and the common errors come from here. */
type RouteSpec<P extends string> =
  & Omit<RouteConfig, "path" | "tags" | "security" | "middleware">
  & {
    path: P;
  };

/**
 * Declares the routes of a router whose every route needs a bearer token, under OpenAPI `tag`.
 * The one switch both enforces the token (requireAuth, before validation) and documents it
 * (`security`, the 401), so the document and the check cannot drift apart. It rides on each
 * route rather than `router.use("*")`, which would also cover every other route and unknown path
 * under the prefix the router is mounted at.
 */
export function tokenRoutes(tag: string) {
  return <P extends string, R extends RouteSpec<P>>(spec: R) =>
    createRoute({
      ...spec,
      tags: [tag],
      security: bearerSecurity,
      middleware: [requireAuth] as const,
      responses: { ...authedErrorResponses, ...spec.responses },
    });
}

/** Declares routes that need no token (register, login), under OpenAPI `tag`. */
export function publicRoutes(tag: string) {
  return <P extends string, R extends RouteSpec<P>>(spec: R) =>
    createRoute({
      ...spec,
      tags: [tag],
      responses: { ...commonErrorResponses, ...spec.responses },
    });
}

/** A required JSON request body validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** A 200 answer whose envelope carries `data`. */
export function successResponse<T extends z.ZodType>(description: string, data: T) {
  return { description, content: { "application/json": { schema: envelopeOf(data) } } };
}
