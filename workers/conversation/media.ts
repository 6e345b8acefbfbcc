/**
 * A conversation's media (CONTRACT §11) as functions of its store: recording an upload, the
 * media a send carries, who may read it, and deleting the bytes nothing refers to any more.
 * The record lives with the messages, so the read check is the history check: whoever may read
 * the message that carries it may read it (a former member up to the leave point), and a recall
 * makes it unreadable in the same write that recalls the message.
 */
import { MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import type { MType } from "../../shared/chat/message-content.ts";
import { ConflictError, InvalidParamsError, NotFoundError } from "../../shared/errors.ts";
import { MEDIA_UNSENT_TTL_MS } from "../../shared/limits.ts";
import { MEDIA_M_TYPE } from "../../shared/media/kinds.ts";
import type {
  ChatLogMedia,
  Media,
  MediaFile,
  MediaRef,
  UploadRecord,
} from "../../shared/media/schemas.ts";
import { type MediaRow, MediaTable } from "./media-table.ts";
import { readableUpTo } from "./membership.ts";
import type { Outbox } from "./outbox.ts";
import type { ConversationStore } from "./store.ts";

/** How long to wait before trying a failed bucket delete again. */
const SWEEP_RETRY_MS = 60 * 1000;

function tableOf(store: ConversationStore): MediaTable {
  return new MediaTable(store);
}

/** Records `userId`'s upload; never sent, it is deleted after MEDIA_UNSENT_TTL_MS. */
export async function recordUpload(
  store: ConversationStore,
  outbox: Outbox,
  userId: string,
  upload: UploadRecord,
): Promise<Media> {
  const deleteAt = upload.createdAt + MEDIA_UNSENT_TTL_MS;
  tableOf(store).insert({ ...upload, ownerId: userId, deleteAt });
  await outbox.wakeAt(deleteAt);
  return { ...upload, conversationId: store.conversation.conversationId };
}

/**
 * The media a send by `senderId` of type `mType` carries: an upload of the sender's in this
 * conversation (400 otherwise), of the kind `mType` stands for (400), not sent before (409).
 * The caller marks it sent in the transaction that stores the message.
 */
export function mediaOfSend(
  store: ConversationStore,
  senderId: string,
  mType: MType,
  ref: MediaRef,
  now = Date.now(),
): ChatLogMedia {
  const row = tableOf(store).find(ref.mediaId);
  if (!row || (row.deleteAt !== null && row.deleteAt <= now && row.msgSeq === null)) {
    throw new InvalidParamsError("msg.media.mediaId: no such upload in this conversation");
  }
  if (row.ownerId !== senderId) {
    throw new InvalidParamsError("msg.media.mediaId: only its uploader may send it");
  }
  if (row.msgSeq !== null) throw new ConflictError("msg.media.mediaId: it was sent already");
  if (MEDIA_M_TYPE[row.kind] !== mType) {
    throw new InvalidParamsError(
      `msg.mType: a ${row.kind} is sent with mType ${MEDIA_M_TYPE[row.kind]}`,
    );
  }
  return {
    mediaId: row.mediaId,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    name: row.name,
    width: ref.width ?? null,
    height: ref.height ?? null,
    durationMs: ref.durationMs ?? null,
    thumb: ref.thumb ?? null,
  };
}

/** Message `seq` now carries `mediaId`; call inside the transaction that stores it. */
export function markMediaSent(store: ConversationStore, mediaId: string, seq: number): void {
  tableOf(store).markSent(mediaId, seq);
}

/**
 * The media `userId` may read: one carried by a message they may read (a former member: up to
 * where they left) that is not recalled, or their own upload not sent yet. 404 otherwise, as if
 * it did not exist.
 */
export function readableMedia(
  store: ConversationStore,
  userId: string,
  mediaId: string,
): MediaFile {
  const row = liveMedia(store, mediaId);
  const readable = row &&
    (row.msgSeq === null ? row.ownerId === userId : row.msgSeq <= readableUpTo(store, userId));
  if (!readable) throw new NotFoundError(`mediaId: no media ${mediaId}`);
  return fileOf(row);
}

/** The media a signed URL names, if it is still there to read (not recalled, not deleted). */
export function signedMedia(store: ConversationStore, mediaId: string): MediaFile | null {
  const row = liveMedia(store, mediaId);
  return row ? fileOf(row) : null;
}

/** After a recall of message `seq`: its media's bytes go now (and the record with them). */
export async function releaseMediaOf(
  store: ConversationStore,
  outbox: Outbox,
  env: Env,
  seq: number,
): Promise<void> {
  tableOf(store).releaseMessage(seq, Date.now());
  await sweepMedia(store, outbox, env);
}

/**
 * Deletes the bytes and records of uploads due (never sent for MEDIA_UNSENT_TTL_MS, or
 * recalled), then arms the alarm for the next deadline. A failed bucket delete keeps the
 * records, and the alarm tries again.
 */
export async function sweepMedia(
  store: ConversationStore,
  outbox: Outbox,
  env: Env,
  now = Date.now(),
): Promise<void> {
  const table = tableOf(store);
  for (let due = table.due(now); due.length > 0; due = table.due(now)) {
    try {
      await env.MEDIA.delete(due);
    } catch (error) {
      console.warn(`Conversation ${store.conversation.conversationId}: media delete failed`, error);
      await outbox.wakeAt(Date.now() + SWEEP_RETRY_MS);
      return;
    }
    table.remove(due);
  }
  const next = table.nextDeadline();
  if (next !== null) await outbox.wakeAt(next);
}

/** The record of `mediaId` unless its bytes are gone or going, or its message was recalled. */
function liveMedia(store: ConversationStore, mediaId: string): MediaRow | null {
  const row = tableOf(store).find(mediaId);
  if (!row) return null;
  if (row.msgSeq === null) return row.deleteAt !== null && row.deleteAt <= Date.now() ? null : row;
  const message = store.log.message(row.msgSeq);
  return message && message.status === MESSAGE_STATUS.normal ? row : null;
}

function fileOf(row: MediaRow): MediaFile {
  const { mediaId, kind, mime, size, name, sha256 } = row;
  return { mediaId, kind, mime, size, name, sha256 };
}
