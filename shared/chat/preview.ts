/**
 * What a reply quotes of a message (CONTRACT §10), in one place for the server, which stores it,
 * and the SDK, which brings it up to date when the quoted message is edited.
 */
import { REPLY_PREVIEW_CHARS } from "../limits.ts";

export { REPLY_PREVIEW_CHARS };

/** The first REPLY_PREVIEW_CHARS characters (code points, so no emoji is cut in half). */
export function previewOf(content: string): string {
  return Array.from(content.slice(0, REPLY_PREVIEW_CHARS * 2)).slice(0, REPLY_PREVIEW_CHARS)
    .join("");
}
