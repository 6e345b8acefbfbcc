/**
 * What a push shows and how it is addressed: the preview of a message (CONTRACT §12: at most 100
 * characters; media as "[image]" …) and the Topic that makes a newer push about a conversation
 * replace an older one still waiting at the push service.
 */
import { previewOf } from "../../shared/chat/preview.ts";
import { type ChatLog, MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { PUSH_PREVIEW_CHARS } from "../../shared/limits.ts";

/** What media and custom messages show instead of their content. */
const PREVIEW_BY_TYPE: Record<number, string> = { 1: "[image]", 2: "[file]", 3: "[message]" };

/** The first PUSH_PREVIEW_CHARS characters of a text; a label for anything else. */
export function pushPreviewOf(message: ChatLog): string {
  if (message.status === MESSAGE_STATUS.recalled) return "";
  const label = PREVIEW_BY_TYPE[message.mType];
  if (label !== undefined) return label;
  return Array.from(previewOf(message.content)).slice(0, PUSH_PREVIEW_CHARS).join("");
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
