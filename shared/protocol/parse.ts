/**
 * Reading one client frame off the wire: size, text, JSON, shape. Every failure says what was
 * wrong and carries the request `id` whenever it could be read, so the client can match it.
 */
import type { z } from "zod";
import { ERROR_CODE } from "../errors.ts";
import { MAX_BODY_BYTES } from "../limits.ts";
import { type ClientFrame, clientFrameSchema, requestIdSchema } from "./frames.ts";

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; id: string | undefined; code: number; msg: string };

/** "field: problem; other: problem" for a failed zod parse. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/** UTF-8 size without encoding short strings (a UTF-16 unit is at most 3 UTF-8 bytes). */
function utf8Bytes(text: string): number {
  return text.length * 3 <= MAX_BODY_BYTES
    ? text.length
    : new TextEncoder().encode(text).byteLength;
}

/** The `id` of a JSON value, when it has a readable one. */
export function readableId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const parsed = requestIdSchema.safeParse((value as { id?: unknown }).id);
  return parsed.success ? parsed.data : undefined;
}

/** Parses a JSON value already read from the wire into a client frame. */
export function parseFrameValue(value: unknown): ParsedFrame {
  const parsed = clientFrameSchema.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const id = readableId(value);
  const msg = `invalid frame: ${describeIssues(parsed.error)}`;
  return { ok: false, id, code: ERROR_CODE.invalidParams, msg };
}

/** Parses raw WebSocket message data (text or binary) into a client frame. */
export function parseClientFrame(raw: string | ArrayBuffer): ParsedFrame {
  if (typeof raw !== "string") {
    if (raw.byteLength > MAX_BODY_BYTES) return tooLarge(undefined);
    const msg = "binary frames are not accepted; send JSON text";
    return { ok: false, id: undefined, code: ERROR_CODE.invalidParams, msg };
  }
  // Oversized text is still read for its id (the runtime caps frames at 1 MiB), so the client
  // can tell which request was too large.
  if (utf8Bytes(raw) > MAX_BODY_BYTES) return tooLarge(peekRequestId(raw));
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, id: undefined, code: ERROR_CODE.invalidParams, msg: "frame is not JSON" };
  }
  return parseFrameValue(value);
}

/** The request id of raw frame text, when it is JSON with a readable `id`. */
export function peekRequestId(raw: string | ArrayBuffer): string | undefined {
  if (typeof raw !== "string") return undefined;
  try {
    return readableId(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

function tooLarge(id?: string): ParsedFrame {
  const msg = `frame is larger than ${MAX_BODY_BYTES} bytes`;
  return { ok: false, id, code: ERROR_CODE.payloadTooLarge, msg };
}
