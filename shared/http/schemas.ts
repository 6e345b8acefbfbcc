/** Schema pieces every resource uses: table-derived shapes, the envelope, ids, bounded strings. */
import { z } from "@hono/zod-openapi";
import { createSchemaFactory } from "drizzle-zod";
import { ID_PATTERN } from "../ids.ts";

/**
 * The zod schema of a drizzle table's rows (shared/db/schema.ts), so a row's fields, types and
 * nullability are written once, in the table; API shapes are `.pick/.omit/.extend` of it, with
 * the API's own rule for a column given as a refinement. Built on this `z`, so `.openapi()`
 * works on every field. (Request bodies pick from it too, not from drizzle-zod's insert schema:
 * that one's TypeScript type misses the `.optional()` it adds to refined columns at run time.)
 */
export const { createSelectSchema } = createSchemaFactory({ zodInstance: z });

/** The mapper from a row to the API shape `schema` names: those fields, none of the others. */
export function viewOf<S extends z.ZodObject>(schema: S): (row: z.infer<S>) => z.infer<S> {
  const keys = Object.keys(schema.shape);
  return (row) => {
    const fields = row as Record<string, unknown>;
    return Object.fromEntries(keys.map((key) => [key, fields[key]])) as z.infer<S>;
  };
}

/** A refinement that only documents a column: `status: describe<number>("0 active")`. */
export function describe<T>(description: string) {
  return (schema: z.ZodType<T>): z.ZodType<T> => schema.openapi({ description });
}

/** Documents a timestamp column. */
export const unixMillis = describe<number>("Unix milliseconds");

/** An id minted by this service (32 lowercase hex characters). */
export const idSchema = z.string().regex(ID_PATTERN, "must be an id issued by this service")
  .openapi({ example: "3f9c2a7e1b8d4c6fa0e5d2b1c9f8e7a6" });

/** An optional image or file URL (defined with the other text rules). */
export { urlSchema } from "../validation.ts";

/** `{code, msg, data}` around a success payload (CONTRACT §1). */
export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({
    code: z.literal(200),
    msg: z.string(),
    data,
  });
}

export const errorEnvelopeSchema = z.object({
  code: z.number().int().openapi({ example: 100002 }),
  msg: z.string().openapi({ example: "phone: must be 5–20 digits with an optional leading +" }),
  data: z.null(),
}).openapi("ErrorEnvelope");

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: errorEnvelopeSchema } },
});

/** The error answers every route can give, for the OpenAPI document. */
export const commonErrorResponses = {
  400: errorResponse("Invalid parameters or malformed JSON (100002)"),
  413: errorResponse("Body over 64 KiB (100009)"),
  500: errorResponse("Internal or storage failure (100001 / 100004)"),
};

/** Error answers of routes that need a token. */
export const authedErrorResponses = {
  ...commonErrorResponses,
  401: errorResponse("Token missing, invalid or expired (100003)"),
};

export { errorResponse };
