/** Pieces every route definition uses, so each module only says what is particular to it. */
import type { z } from "@hono/zod-openapi";
import { envelopeOf } from "../../shared/http/schemas.ts";

/** Security requirement for routes that need `Authorization: Bearer`. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** A required JSON request body validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** A 200 answer whose envelope carries `data`. */
export function successResponse<T extends z.ZodType>(description: string, data: T) {
  return { description, content: { "application/json": { schema: envelopeOf(data) } } };
}
