/**
 * Every route module builds its sub-app with `createRouter()`, so validation failures become the
 * contract's 400 + 100002 everywhere (the hook is per OpenAPIHono instance).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { InvalidParamsError } from "../../shared/errors.ts";
import { describeIssues } from "../../shared/validation.ts";
import type { AppEnv } from "./env.ts";

/** A Hono sub-app whose validation errors are thrown as InvalidParamsError. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new InvalidParamsError(describeIssues(result.error));
    },
  });
}
