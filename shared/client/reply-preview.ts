/**
 * What a reply quotes of a message (CONTRACT §10), cut exactly as the server cuts it
 * (shared/chat/preview.ts; test/client/changes.node.test.ts compares the two), kept here so the
 * published package carries no server code.
 */

/** Characters of a quoted message a reply shows. */
export const REPLY_PREVIEW_CHARS = 100;

/** The first REPLY_PREVIEW_CHARS characters (code points, so no emoji is cut in half). */
export function replyPreview(content: string): string {
  return Array.from(content.slice(0, REPLY_PREVIEW_CHARS * 2)).slice(
    0,
    REPLY_PREVIEW_CHARS,
  )
    .join("");
}
