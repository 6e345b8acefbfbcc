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

/** The media of a message as a preview says it (CONTRACT §11). */
export function mediaLabel(media: { kind: string; name: string }): string {
  if (media.kind === "file") return media.name === "" ? "[file]" : `[file] ${media.name}`;
  return `[${media.kind}]`;
}

/**
 * What a message shows where it is summed up (a reply's quote, a notification, a list row): its
 * media's label (`[image]`, `[file] name`, `[voice]`) before its caption, cut like previewOf.
 */
export function messagePreview(
  message: { content: string; media?: { kind: string; name: string } | null },
): string {
  if (!message.media) return previewOf(message.content);
  const label = mediaLabel(message.media);
  return previewOf(message.content === "" ? label : `${label} ${message.content}`);
}
