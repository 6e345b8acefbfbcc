/**
 * Keyset pagination for every social list: `?limit=&cursor=`, answers carry `nextCursor`.
 * Lists are ordered by (time, id); the cursor is the last row's key, base64url-encoded so clients
 * treat it as opaque. Never OFFSET: a page costs the same however deep it is.
 */
import { z } from "@hono/zod-openapi";
import type { PagePosition } from "../db/keyset.ts";
import { InvalidParamsError } from "../errors.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../limits.ts";

export interface Page<T> {
  list: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

const CURSOR_PATTERN = /^(\d{1,15}):([0-9a-f]{32})$/;

/** The opaque cursor for a row key. */
export function encodeCursor(key: PagePosition): string {
  return btoa(`${key.time}:${key.id}`).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

/** The row key inside a cursor, or undefined when it is not one this service made. */
export function decodeCursor(cursor: string): PagePosition | undefined {
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
  const match = CURSOR_PATTERN.exec(text);
  return match ? { time: Number(match[1]), id: match[2]! } : undefined;
}

/** The position to continue after, from an already validated request (undefined: first page). */
function pageStart(request: PageRequest): PagePosition | undefined {
  if (request.cursor === undefined) return undefined;
  const key = decodeCursor(request.cursor);
  if (!key) throw new InvalidParamsError("cursor: not a cursor from this list");
  return key;
}

/**
 * One page of a list: `fetch` reads up to `limit` rows after `after` (the request asks for one
 * row more than it shows: that row only says there is more); `keyOf` is a row's (time, id).
 */
export async function readPage<R, T>(
  request: PageRequest,
  fetch: (limit: number, after: PagePosition | undefined) => Promise<R[]>,
  keyOf: (row: R) => PagePosition,
  toItem: (row: R) => T,
): Promise<Page<T>> {
  const rows = await fetch(request.limit + 1, pageStart(request));
  const shown = rows.slice(0, request.limit);
  const last = shown.at(-1);
  return {
    list: shown.map(toItem),
    nextCursor: rows.length > request.limit && last ? encodeCursor(keyOf(last)) : null,
  };
}

/** `?limit=&cursor=`, shared by every list route. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)
    .openapi({
      description: `page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
      example: DEFAULT_PAGE_SIZE,
    }),
  cursor: z.string().max(200).refine((value) => decodeCursor(value) !== undefined, {
    message: "not a cursor from this list",
  }).optional().openapi({ description: "`nextCursor` of the previous page" }),
};

/** `{list, nextCursor}` around an item schema. */
export function pageSchemaOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({
    list: z.array(item),
    nextCursor: z.string().nullable().openapi({
      description: "pass as `?cursor=` for the next page; null on the last page",
    }),
  }).openapi(name);
}
