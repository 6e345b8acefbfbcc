/**
 * How input is judged and how a failed judgement is told to a client, the same over HTTP and on
 * the WebSocket: the text rules of CONTRACT §15 as zod schemas every route's body uses.
 */
import { z } from "@hono/zod-openapi";
import {
  codePointLength,
  hasVisibleCharacter,
  hiddenCharacterProblem,
  isWellFormed,
} from "./text.ts";
import type { TextRule } from "./text.ts";
import { InvalidParamsError } from "./errors.ts";

/** "field: problem; other: problem" — names the field a client developer has to fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/**
 * A label people read and tell apart (nickname, group name, remark, notice): refused when it
 * holds an unpaired surrogate, a control, bidirectional or invisible character (see
 * hiddenCharacterProblem), then trimmed and stored in Unicode NFC; its length in code points is
 * counted on that stored form. When `min` is at least 1, or the text is not empty, it must hold
 * a visible character.
 */
export function labelSchema(min: number, max: number, rule: TextRule = {}) {
  return z.string()
    .superRefine((value, ctx) => {
      const problem = hiddenCharacterProblem(value, rule);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem, input: value, continue: false });
      }
    })
    .trim()
    .normalize("NFC")
    .superRefine((value, ctx) => {
      const length = codePointLength(value);
      if (length < min || length > max) {
        ctx.addIssue({ code: "custom", message: `must be ${min}–${max} characters`, input: value });
      } else if (length > 0 && !hasVisibleCharacter(value)) {
        ctx.addIssue({ code: "custom", message: "must hold a visible character", input: value });
      }
    });
}

/**
 * The label rules for text that reaches a route outside a zod schema (a file name in a header):
 * the form to store, or InvalidParamsError naming `field` (400 + 100002).
 */
export function checkLabel(
  field: string,
  value: string,
  min: number,
  max: number,
  rule: TextRule = {},
): string {
  const parsed = labelSchema(min, max, rule).safeParse(value);
  if (!parsed.success) throw new InvalidParamsError(`${field}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** Longest URL stored, in characters, after normalization. */
export const MAX_URL_CHARS = 1024;

/**
 * An optional image or file URL (avatar, group icon): empty, or an absolute `http:`/`https:` URL
 * without spaces, controls or credentials, stored as the URL parser writes it back, so what a
 * client receives is percent-encoded (`"` → `%22`, `<` → `%3C`) and means one thing.
 */
export const urlSchema = z.string()
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value, continue: false });
  })
  .overwrite((value) => (value === "" ? "" : new URL(value).href))
  .max(MAX_URL_CHARS, `must be at most ${MAX_URL_CHARS} characters`);

function urlProblem(value: string): string | null {
  if (value === "") return null;
  const refusal = "must be empty or an http(s) URL";
  if (!isWellFormed(value) || /[\s\p{Cc}]/u.test(value)) return `${refusal} without spaces`;
  if (value.length > 4 * MAX_URL_CHARS) return `must be at most ${MAX_URL_CHARS} characters`;
  if (!URL.canParse(value)) return refusal;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return refusal;
  if (url.hostname === "") return refusal;
  if (url.username !== "" || url.password !== "") return `${refusal} without user:password@`;
  return null;
}
