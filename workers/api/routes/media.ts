/** `/v1/media` — upload, read and signed URLs of images, files and voice notes (CONTRACT §11). */
import { createRoute, z } from "@hono/zod-openapi";
import { askConversation } from "../../../shared/chat/conversation-asks.ts";
import { readConversationId } from "../../../shared/chat/conversation-id.ts";
import { ForbiddenError, InvalidParamsError, NotFoundError } from "../../../shared/errors.ts";
import { authedErrorResponses, errorResponse } from "../../../shared/http/schemas.ts";
import { MEDIA_URL_TTL_MS } from "../../../shared/limits.ts";
import {
  conversationOfMedia,
  mediaIdSchema,
  mediaSchema,
  mediaUrlSchema,
  signedQuerySchema,
  uploadQuerySchema,
} from "../../../shared/media/schemas.ts";
import { signMedia, verifyMediaSignature } from "../../../shared/media/signed-url.ts";
import { serveMedia } from "../../media/serve.ts";
import { uploadMedia } from "../../media/uploads.ts";
import type { AppEnv } from "../env.ts";
import { authenticate } from "../middleware/auth.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import type { Context } from "hono";

/** The upload's path: its body is the bytes, so the API's 64 KiB body limit skips it. */
export const MEDIA_UPLOAD_PATH = "/v1/media";

export const mediaRoutes = createRouter();
const route = tokenRoutes(mediaRoutes, "media");

route.post("/", {
  summary: "Upload an image, file or voice note into a conversation (raw bytes as the body)",
  description: "The body is the bytes; `Content-Type` declares the type (images: jpeg, png, " +
    "gif, webp ≤ 10 MiB; voice: audio/webm, ogg, mp4 ≤ 2 MiB; files: any ≤ 25 MiB) and an " +
    "image's or voice note's first bytes must match it. `X-File-Name` (percent-encoded) names " +
    "it. Per user: 60 uploads per hour, 500 MiB per day. Sent in a message with `msg.media`; " +
    "never sent, it is deleted after 24 hours.",
  query: uploadQuerySchema,
  ok: ["The stored upload", mediaSchema],
  errors: {
    403: "You may not send in this conversation (100006)",
    404: "No such group or user (100005)",
    429: "Over the upload budgets (100008), with Retry-After",
  },
}, (c) => {
  const { conversationId, kind } = c.req.valid("query");
  const conversation = readConversationId(conversationId);
  if (!conversation) throw new InvalidParamsError("conversationId: not a conversation id");
  return uploadMedia(c.env, c.var.userId, {
    conversation,
    kind,
    contentType: c.req.header("Content-Type"),
    contentLength: c.req.header("Content-Length"),
    fileName: c.req.header("X-File-Name"),
    body: c.req.raw.body,
  });
});

route.get("/{mediaId}/url", {
  summary: "A signed URL of a media you may read, for <img src> or <audio src> (15 minutes)",
  ok: ["The URL and when it stops working", mediaUrlSchema],
  errors: {
    403: "Not a member of its conversation (100006)",
    404: "No such media, recalled, or not one you may read (100005)",
  },
}, async (c) => {
  const mediaId = c.req.param("mediaId");
  await readable(c, mediaId);
  const expires = Date.now() + MEDIA_URL_TTL_MS;
  const sig = await signMedia(c.env.JWT_SECRET, mediaId, expires);
  const url = new URL(`/v1/media/${encodeURIComponent(mediaId)}`, c.req.url);
  url.search = new URLSearchParams({ exp: String(expires), sig }).toString();
  return { url: url.toString(), expires };
});

const readRoute = createRoute({
  method: "get",
  path: "/{mediaId}",
  tags: ["media"],
  summary: "A media's bytes, with the token or a signed URL's exp and sig",
  description: "Images and voice notes as their type, files as `application/octet-stream` " +
    "attachments; `ETag` is the SHA-256; one `Range` is honoured (206).",
  security: [{ bearerAuth: [] }, {}],
  request: { params: z.object({ mediaId: mediaIdSchema }), query: signedQuerySchema },
  responses: {
    ...authedErrorResponses,
    200: { description: "The bytes", content: { "application/octet-stream": { schema: {} } } },
    206: { description: "The requested range" },
    304: { description: "Not modified (If-None-Match)" },
    403: errorResponse("Signed URL expired or wrong, or not a member (100006)"),
    404: errorResponse("No such media, recalled, or not one you may read (100005)"),
  },
});

mediaRoutes.openapi(readRoute, async (c) => {
  // Validated by the route's schemas before the handler runs.
  const mediaId = c.req.param("mediaId") ?? "";
  const { exp, sig } = signedQuerySchema.parse(c.req.query());
  if (exp === undefined && sig === undefined) {
    return await serveMedia(c.env.MEDIA, await readable(c, mediaId), c.req.raw);
  }
  if (exp === undefined || sig === undefined) {
    throw new InvalidParamsError("exp and sig: a signed URL has both");
  }
  if (!await verifyMediaSignature(c.env.JWT_SECRET, mediaId, exp, sig)) {
    throw new ForbiddenError("sig: not a signature of this media");
  }
  if (exp <= Date.now()) throw new ForbiddenError("the signed URL expired: ask for a new one");
  const conversation = conversationOfMedia(mediaId)!;
  const file = await c.env.CONVERSATION.getByName(conversation.conversationId)
    .signedMedia(mediaId);
  if (!file) throw new NotFoundError(`mediaId: no media ${mediaId}`);
  return await serveMedia(c.env.MEDIA, file, c.req.raw);
});

/** The media `mediaId` as the token's user may read it; refuses otherwise. */
async function readable(c: Context<AppEnv>, mediaId: string) {
  const conversation = conversationOfMedia(mediaId);
  if (!conversation) throw new InvalidParamsError("mediaId: not a media id");
  const { userId } = await authenticate(c);
  return await askConversation(c.env, conversation, userId, "mediaRead", { mediaId });
}
