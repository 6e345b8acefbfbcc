/**
 * Reading one client frame off the wire: size, text, JSON, shape. Every failure says what was
 * wrong and carries the request `id` whenever it could be read, so the client can match it.
 */
import { ERROR_CODE } from "../errors.ts";
import { MAX_BODY_BYTES } from "../limits.ts";
import { utf8ByteLength } from "../text.ts";
import { describeIssues } from "../validation.ts";
import { type ClientFrame, clientFrameSchema, requestIdSchema } from "./frames.ts";
import { peekRequestId } from "./peek-id.ts";

export { peekRequestId };

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; id: string | undefined; code: number; msg: string };

/**
 * True when `text` is over MAX_BODY_BYTES in UTF-8. Each UTF-16 unit is 1 to 3 bytes, so only
 * text between MAX_BODY_BYTES / 3 and MAX_BODY_BYTES units is encoded to tell.
 */
export function overBodyLimit(text: string): boolean {
  if (text.length > MAX_BODY_BYTES) return true;
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
  // Oversized text is never parsed: its id is read from the first bytes only (peek-id.ts).
  if (overBodyLimit(raw)) return tooLarge(peekRequestId(raw));
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, id: undefined, code: ERROR_CODE.invalidParams, msg: "frame is not JSON" };
  }
  return parseFrameValue(value);
}

/** The refusal of a frame over MAX_BODY_BYTES (with the id peeked from its first bytes). */
export function tooLarge(id?: string): ParsedFrame {
  const msg = `frame is larger than ${MAX_BODY_BYTES} bytes`;
  return { ok: false, id, code: ERROR_CODE.payloadTooLarge, msg };
}
