/**
 * The request `id` of a frame that is not parsed (over 64 KiB, or refused by the rate limit):
 * read from at most the first ID_PEEK_BYTES bytes (CONTRACT §15 "Floods"), so refusing a frame
 * costs the same whatever its size. Only a top-level `"id"` whose whole string value lies in
 * that prefix counts; anything else (an id further on, an escape, a prefix that is not the
 * start of a JSON object) gives no id.
 */
import { requestIdSchema } from "./frames.ts";

/** Bytes of a refused frame read to find its `id`. */
export const ID_PEEK_BYTES = 256;

const encoder = new TextEncoder();
const peekBuffer = new Uint8Array(ID_PEEK_BYTES);

/** The first ID_PEEK_BYTES bytes of `text` (never a character cut in half). */
function prefixOf(text: string): string {
  // Each UTF-16 unit is at least one UTF-8 byte: no more units than bytes can fit.
  const head = text.slice(0, ID_PEEK_BYTES);
  const { read } = encoder.encodeInto(head, peekBuffer);
  return head.slice(0, read);
}

/** A JSON string literal starting at `start` (a `"`): its value and where it ends, if simple. */
function readString(text: string, start: number): { value: string; end: number } | undefined {
  const end = text.indexOf('"', start + 1);
  if (end < 0) return undefined;
  const value = text.slice(start + 1, end);
  // Escapes and control characters are left to a real parse: such an id is not echoed.
  for (const char of value) if (char === "\\" || char < " ") return undefined;
  return { value, end: end + 1 };
}

/** The top-level `id` found in the first ID_PEEK_BYTES bytes of `raw`, if any. */
export function peekRequestId(raw: string | ArrayBuffer): string | undefined {
  if (typeof raw !== "string") return undefined;
  const text = prefixOf(raw);
  let i = text.search(/\S/);
  if (text[i] !== "{") return undefined;
  i += 1;
  // Walks the object's members in order; a value that is not a plain string or number ends the
  // walk (the id must come before any nested value to be found).
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] !== '"') return undefined;
    const key = readString(text, i);
    if (!key) return undefined;
    i = skipSpace(text, key.end);
    if (text[i] !== ":") return undefined;
    i = skipSpace(text, i + 1);
    if (text[i] === '"') {
      const value = readString(text, i);
      if (!value) return undefined;
      if (key.value === "id") {
        const id = requestIdSchema.safeParse(value.value);
        return id.success ? id.data : undefined;
      }
      i = value.end;
    } else {
      const scalar = /^-?[\d.eE+-]+|^true|^false|^null/.exec(text.slice(i));
      if (!scalar) return undefined;
      i += scalar[0].length;
    }
    i = skipSpace(text, i);
    if (text[i] !== ",") return undefined;
    i += 1;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && " \t\n\r".includes(text[i]!)) i += 1;
  return i;
}
