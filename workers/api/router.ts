/**
 * Every route module builds its sub-app with `createRouter()`, so validation failures become the
 * contract's 400 + 100002 everywhere (the hook is per OpenAPIHono instance).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import { InvalidParamsError } from "../../shared/errors.ts";
import type { AppEnv } from "./env.ts";

/** "field: problem; other: problem" — names the field a client developer has to fix. */
export function describeZodError(error: ZodError): string {
  return error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/** A Hono sub-app whose validation errors are thrown as InvalidParamsError. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new InvalidParamsError(describeZodError(result.error));
    },
  });
}
