/**
 * `POST /v1/media` as one function (CONTRACT §11): the declared type and size first, then the
 * user's budgets (taken before any work), then the conversation's consent (a stranger stores
 * nothing), then the bytes into the bucket, then the record with the conversation. Whatever
 * fails after the bytes are stored deletes them again; the day's bytes are settled to what
 * stayed stored.
 */
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import { InvalidParamsError, PayloadTooLargeError } from "../../shared/errors.ts";
import { MEDIA_BYTES_PER_DAY, MEDIA_UPLOADS } from "../../shared/limits.ts";
import { acceptedType, maxBytesOf, type MediaKind } from "../../shared/media/kinds.ts";
import { type Media, newMediaId, readFileName } from "../../shared/media/schemas.ts";
import { rateLimited } from "../../shared/rate-limit.ts";
import { storeUpload } from "./bucket-upload.ts";

type UploadEnv = Pick<Env, "MEDIA" | "CONVERSATION" | "RATE_LIMITER">;

/** An upload as the route hands it over. */
export interface UploadRequest {
  conversation: ParsedConversationId;
  kind: MediaKind;
  contentType: string | undefined;
  contentLength: string | undefined;
  fileName: string | undefined;
  body: ReadableStream<Uint8Array> | null;
}

/** Stores `userId`'s upload and answers its record; refusals are thrown as AppErrors. */
export async function uploadMedia(
  env: UploadEnv,
  userId: string,
  request: UploadRequest,
): Promise<Media> {
  const { conversation, kind } = request;
  const type = acceptedType(kind, request.contentType);
  if (!type.ok) throw new InvalidParamsError(type.reason);
  const name = readFileName(request.fileName);
  const maxBytes = maxBytesOf(kind);
  const declaredLength = lengthOf(request.contentLength);
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    throw new PayloadTooLargeError(`a ${kind} is at most ${maxBytes} bytes`);
  }

  const budget = env.RATE_LIMITER.getByName(`media:${userId}`);
  const reserved = declaredLength ?? maxBytes;
  // Both gates before a byte is read, side by side: the conversation's check writes nothing
  // for a stranger, and a refused budget refuses the upload whatever the check said.
  const [taken, allowed] = await Promise.allSettled([
    budget.takeUpload(MEDIA_UPLOADS, MEDIA_BYTES_PER_DAY, reserved),
    askConversation(env, conversation, userId, "mediaAllowed", null),
  ]);
  if (taken.status === "rejected") throw taken.reason;
  if (!taken.value.ok) {
    const what = `too many uploads: at most ${MEDIA_UPLOADS.limit} per hour and ` +
      `${MEDIA_BYTES_PER_DAY.limit / 1024 / 1024} MiB per day`;
    throw rateLimited(what, taken.value.retryAfter);
  }
  let stored = 0;
  try {
    if (allowed.status === "rejected") throw allowed.reason;
    const mediaId = newMediaId(conversation.conversationId);
    const bytes = await storeUpload(env.MEDIA, mediaId, request.body, declaredLength, {
      kind,
      mime: type.mime,
      maxBytes,
    });
    try {
      const upload = { mediaId, kind, mime: type.mime, name, ...bytes, createdAt: Date.now() };
      const media = await askConversation(env, conversation, userId, "mediaUploaded", upload);
      stored = bytes.size;
      return media;
    } catch (error) {
      // The sender may no longer send here (or the record failed): the bytes go again.
      await env.MEDIA.delete(mediaId);
      throw error;
    }
  } finally {
    // An upload that stored what it reserved (its Content-Length) has nothing to settle.
    if (stored !== reserved) await budget.settleUpload(taken.value.slot, stored);
  }
}

/** A Content-Length header as a number, or undefined when absent. */
function lengthOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (!/^\d{1,15}$/.test(header)) throw new InvalidParamsError("Content-Length: not a length");
  return Number(header);
}
