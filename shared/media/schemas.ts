/**
 * Media's shapes (CONTRACT §11), each written once: the upload's query and answer, what a send
 * carries (`msg.media`) and what a ChatLog shows (`ChatLog.media`).
 *
 * A media id names its conversation: `<32 hex>.<conversation id with "_" as ".">`. The routes
 * find the Conversation object that holds its record from the id alone; clients treat it as
 * opaque, and the random half makes it unguessable.
 */
import { z } from "@hono/zod-openapi";
import { MEDIA_NAME_MAX_CHARS, MEDIA_THUMB_MAX_CHARS, MEDIA_URL_TTL_MS } from "../limits.ts";
import { InvalidParamsError } from "../errors.ts";
import { newId } from "../ids.ts";
import { checkLabel } from "../validation.ts";
import { type ParsedConversationId, readConversationId } from "../chat/conversation-id.ts";
import { MEDIA_KINDS } from "./kinds.ts";

/** A new media id in `conversationId`. */
export function newMediaId(conversationId: string): string {
  return `${newId()}.${conversationId.replace("_", ".")}`;
}

/** The conversation a media id belongs to, or undefined when `mediaId` is not one. */
export function conversationOfMedia(mediaId: string): ParsedConversationId | undefined {
  const [random, ...rest] = mediaId.split(".");
  if (!random || !/^[0-9a-f]{32}$/.test(random) || rest.length === 0 || rest.length > 2) {
    return undefined;
  }
  return readConversationId(rest.join("_"));
}

/** Longest media id: 32 hex, a dot, and the longest conversation id. */
const MAX_MEDIA_ID_LENGTH = 32 + 1 + 65;

export const mediaIdSchema = z.string().max(MAX_MEDIA_ID_LENGTH)
  .refine((text) => conversationOfMedia(text) !== undefined, { message: "not a media id" })
  .openapi({ description: "as the upload answered it (opaque)" });

export const mediaKindSchema = z.enum(MEDIA_KINDS)
  .openapi({ description: "image · file · voice" });

/** `POST /v1/media` query. The conversation id stays text: the route parses it once. */
export const uploadQuerySchema = z.object({
  conversationId: z.string().max(65),
  kind: mediaKindSchema,
});

/** An uploaded media's record, as the upload answers it. */
export const mediaSchema = z.object({
  mediaId: z.string(),
  conversationId: z.string(),
  kind: mediaKindSchema,
  mime: z.string().openapi({ description: "the declared type, without parameters" }),
  size: z.number().int().openapi({ description: "bytes" }),
  name: z.string().openapi({ description: "X-File-Name, or empty" }),
  sha256: z.string().openapi({ description: "hex; also the ETag it is served with" }),
  createdAt: z.number().int().openapi({ description: "Unix milliseconds" }),
}).openapi("Media");

/** `GET /v1/media/{mediaId}/url` data. */
export const mediaUrlSchema = z.object({
  url: z.string().openapi({ description: "works without a token until `expires`" }),
  expires: z.number().int().openapi({
    description: `Unix ms, ${MEDIA_URL_TTL_MS / 60_000} minutes after it was made`,
  }),
}).openapi("MediaUrl");

/** `GET /v1/media/{mediaId}` query: a signed URL's part (absent: the token is required). */
export const signedQuerySchema = z.object({
  exp: z.coerce.number().int().optional(),
  sig: z.string().max(128).optional(),
});

const dimension = z.number().int().min(1).max(100_000);

/** A thumbnail the client made: a base64 JPEG or WebP data: URL, shown before the bytes load. */
const thumbSchema = z.string().max(MEDIA_THUMB_MAX_CHARS, {
  message: `must be at most ${MEDIA_THUMB_MAX_CHARS} characters`,
}).regex(/^data:image\/(jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/, {
  message: "must be a data:image/jpeg or data:image/webp base64 URL",
});

/** `msg.media` of a send: an upload of the sender's in this conversation, sent once. */
export const mediaRefSchema = z.object({
  mediaId: mediaIdSchema,
  width: dimension.optional(),
  height: dimension.optional(),
  durationMs: z.number().int().min(0).max(24 * 60 * 60 * 1000).optional(),
  thumb: thumbSchema.optional(),
}).openapi("MediaRef");

/** `ChatLog.media`: what a reader needs to show the media and fetch its bytes. */
export const chatLogMediaSchema = z.object({
  mediaId: z.string(),
  kind: mediaKindSchema,
  mime: z.string(),
  size: z.number().int(),
  name: z.string(),
  width: z.union([z.number().int(), z.null()]),
  height: z.union([z.number().int(), z.null()]),
  durationMs: z.union([z.number().int(), z.null()]),
  thumb: z.union([z.string(), z.null()]),
}).openapi("MessageMedia");

/**
 * A file name from `X-File-Name` (empty when absent): percent-decoded, then the label rules of
 * names (no control, bidirectional or invisible characters — a right-to-left override could
 * make `gpj.exe` read as `exe.jpg` — trimmed, NFC, at most MEDIA_NAME_MAX_CHARS), and no path
 * separators. Throws InvalidParamsError (400 + 100002) otherwise.
 */
export function readFileName(header: string | undefined): string {
  if (header === undefined) return "";
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    throw new InvalidParamsError("X-File-Name: not percent-encoded UTF-8");
  }
  if (/[/\\]/.test(name)) throw new InvalidParamsError("X-File-Name: must not contain / or \\");
  return checkLabel("X-File-Name", name, 0, MEDIA_NAME_MAX_CHARS);
}

export type Media = z.infer<typeof mediaSchema>;
export type MediaRef = z.infer<typeof mediaRefSchema>;
export type ChatLogMedia = z.infer<typeof chatLogMediaSchema>;
export type MediaUrl = z.infer<typeof mediaUrlSchema>;
/** An upload whose bytes are in the bucket, as the Worker reports it to its conversation. */
export type UploadRecord = Omit<Media, "conversationId">;
/** What the Worker needs to serve a media's bytes. */
export type MediaFile = Pick<Media, "mediaId" | "kind" | "mime" | "size" | "name" | "sha256">;
