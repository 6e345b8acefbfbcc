/**
 * What a push shows and how it is addressed: the preview of a message (CONTRACT §12: at most 100
 * characters; media as "[image]" …) and the Topic that makes a newer push about a conversation
 * replace an older one still waiting at the push service.
 */
import { messagePreview } from "../../shared/chat/preview.ts";
import { type ChatLog, MESSAGE_STATUS } from "../../shared/chat/schemas.ts";

/** A custom message's content is JSON for apps, not text for people. */
const CUSTOM_MESSAGE_TYPE = 3;

/**
 * What a push shows of a message: its media's label (`[image]`, `[file] name`, `[voice]`) and
 * caption, or its text, cut at the 100 characters a reply quotes (REPLY_PREVIEW_CHARS).
 */
export function pushPreviewOf(message: ChatLog): string {
  if (message.status === MESSAGE_STATUS.recalled) return "";
  if (message.mType === CUSTOM_MESSAGE_TYPE) return "[message]";
  return messagePreview(message);
}

/**
 * The Topic header of a conversation's pushes: RFC 8030 allows 32 base64url characters, so a
 * hash of the id (which also keeps the id itself off the push service's logs).
 */
export async function pushTopicOf(conversationId: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(conversationId),
  );
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "").slice(0, 32);
}
