/**
 * Reading one client frame off the wire: size, text, JSON, shape. Every failure says what was
 * wrong and carries the request `id` whenever it could be read, so the client can match it.
 */
import { ERROR_CODE } from "../errors.ts";
import { MAX_BODY_BYTES } from "../limits.ts";
import { utf8ByteLength } from "../text.ts";
import { describeIssues } from "../validation.ts";
import { type ClientFrame, clientFrameSchema, requestIdSchema } from "./frames.ts";

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; id: string | undefined; code: number; msg: string };

/** True when `text` is over MAX_BODY_BYTES in UTF-8; short text (3 bytes a unit at most) is not encoded. */
function overBodyLimit(text: string): boolean {
  return text.length * 3 > MAX_BODY_BYTES && utf8ByteLength(text) > MAX_BODY_BYTES;
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
  if (overBodyLimit(raw)) return tooLarge(peekRequestId(raw));
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
