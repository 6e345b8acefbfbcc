/**
 * The message lifecycle of a Conversation (CONTRACT §10) as functions of its store: what a send
 * may carry besides the message (the message it answers, who it mentions), recall, edit and
 * delete for me. Each checks who may do it and answers with an AppError otherwise; the object's
 * class stores the result's fan-out. Recall and edit are idempotent: a repeat answers as the
 * first did and changes nothing.
 */
import { CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import { checkMessageContent, M_TYPE } from "../../shared/chat/message-content.ts";
import { messagePreview } from "../../shared/chat/preview.ts";
import {
  type DeleteChatlogBody,
  MENTION_ALL,
  MESSAGE_STATUS,
  type ReplyTo,
} from "../../shared/chat/schemas.ts";
import {
  ConflictError,
  ForbiddenError,
  InvalidParamsError,
  NotFoundError,
} from "../../shared/errors.ts";
import { EDIT_WINDOW_MS, RECALL_WINDOW_MS } from "../../shared/limits.ts";
import { assertCanSend, assertGroupMember, isGroupManager, readableUpTo } from "./membership.ts";
import { afterRecall } from "./pins.ts";
import type { ConversationStore, StoredChange } from "./store.ts";

/** A recall or edit: the message's change, and whether this request made it (false: a repeat). */
export interface ChangeOutcome {
  change: StoredChange;
  fresh: boolean;
}

/**
 * The quote and mentions of a send by `senderId`: `replyTo` must be a message of this
 * conversation the sender may read and not recalled (400); mentions are for group chats, name
 * current members (400), and `all` is the creator's and managers' (403).
 */
export function sendExtras(
  store: ConversationStore,
  senderId: string,
  request: { replyTo?: string | undefined; mentions?: string[] | undefined },
): { replyTo: ReplyTo | null; mentions: string[] } {
  let replyTo: ReplyTo | null = null;
  if (request.replyTo !== undefined) {
    const quoted = store.log.messageById(request.replyTo)?.message;
    if (!quoted || quoted.seq > readableUpTo(store, senderId)) {
      throw new InvalidParamsError("replyTo: no such message in this conversation");
    }
    if (quoted.status === MESSAGE_STATUS.recalled) {
      throw new InvalidParamsError("replyTo: that message was recalled");
    }
    replyTo = {
      msgId: quoted.msgId,
      seq: quoted.seq,
      sendId: quoted.sendId,
      preview: messagePreview(quoted),
    };
  }
  const mentions = [...new Set(request.mentions ?? [])];
  if (mentions.length === 0) return { replyTo, mentions };
  if (store.conversation.chatType !== CHAT_TYPE.group) {
    throw new InvalidParamsError("mentions: only group messages mention members");
  }
  if (mentions.includes(MENTION_ALL)) {
    if (!isGroupManager(store, senderId)) {
      throw new ForbiddenError(
        'mentions: only the group\'s creator and managers may mention "all"',
      );
    }
    return { replyTo, mentions: [MENTION_ALL] };
  }
  const stranger = mentions.find((userId) => !store.members.member(userId)?.active);
  if (stranger !== undefined) {
    throw new InvalidParamsError(`mentions: ${stranger} is not a member of this group`);
  }
  return { replyTo, mentions };
}

/**
 * Recalls `msgId` as `userId`: its sender within RECALL_WINDOW_MS, or a group's creator or
 * managers at any time. Recalling a recalled message answers with the first recall, for anyone
 * who may recall it (its sender, the creator and managers, whoever recalled it).
 */
export function recallMessage(
  store: ConversationStore,
  userId: string,
  msgId: string,
  now = Date.now(),
): ChangeOutcome {
  const found = readableMessage(store, userId, msgId);
  const { message } = found;
  const manager = isGroupManager(store, userId);
  if (message.status === MESSAGE_STATUS.recalled) {
    if (userId === message.sendId || userId === found.recallBy || manager) {
      return { change: found, fresh: false };
    }
    throw new ForbiddenError("only the sender or the group's creator and managers may recall it");
  }
  if (store.conversation.chatType === CHAT_TYPE.group) assertGroupMember(store, userId);
  if (!manager) {
    if (userId !== message.sendId) {
      throw new ForbiddenError(
        "only the sender (or, in a group, its creator and managers) may recall a message",
      );
    }
    if (now - message.sendTime > RECALL_WINDOW_MS) {
      throw new ForbiddenError(
        `too late to recall: the sender may recall within ${RECALL_WINDOW_MS / 60_000} minutes`,
      );
    }
  }
  return {
    change: store.transaction(() => {
      const change = store.changes.recall(message.seq, userId);
      store.search.remove(message.seq);
      afterRecall(store, message.seq, userId);
      return change;
    }),
    fresh: true,
  };
}

/**
 * Replaces the text of `msgId` as `userId`: its sender, a text message, within EDIT_WINDOW_MS,
 * not recalled, while the sender may still send here. A repeat answers with the message as it
 * is and changes nothing: an edit whose request id (`key`: the frame id, or HTTP's
 * `clientEditId`) was seen — even after later edits — or the same text again.
 */
export function editMessage(
  store: ConversationStore,
  userId: string,
  msgId: string,
  content: string,
  key?: string,
  now = Date.now(),
): ChangeOutcome {
  const found = readableMessage(store, userId, msgId);
  const { message } = found;
  if (userId !== message.sendId) throw new ForbiddenError("only the sender may edit a message");
  if (key !== undefined && store.changes.editKeys(message.seq).includes(key)) {
    return { change: found, fresh: false };
  }
  if (message.status === MESSAGE_STATUS.recalled) {
    throw new ConflictError("the message was recalled: there is nothing to edit");
  }
  if (message.mType !== M_TYPE.text) {
    throw new InvalidParamsError("msgId: only text messages (mType 0) can be edited");
  }
  checkMessageContent({ mType: M_TYPE.text, content });
  if (content === message.content) return { change: found, fresh: false };
  if (now - message.sendTime > EDIT_WINDOW_MS) {
    throw new ForbiddenError(
      `too late to edit: a message may be edited within ${EDIT_WINDOW_MS / 3_600_000} hours`,
    );
  }
  assertCanSend(store, userId, now);
  return {
    change: store.transaction(() => {
      store.search.replace(message.seq, content);
      return store.changes.edit(message.seq, content, now, key);
    }),
    fresh: true,
  };
}

/**
 * Delete for me: hides messages from `userId`'s own history — the given ids (each a message the
 * user may read, else 404 and nothing is hidden) and everything up to `upToSeq` (clamped to what
 * they may read). Returns what was hidden.
 */
export function hideMessages(
  store: ConversationStore,
  userId: string,
  body: Omit<DeleteChatlogBody, "conversationId">,
): { msgIds: string[]; upToSeq: number } {
  const readable = readableUpTo(store, userId);
  const seqs = (body.msgIds ?? []).map((msgId) =>
    readableMessage(store, userId, msgId).message.seq
  );
  const upToSeq = Math.min(body.upToSeq ?? 0, readable);
  store.transaction(() => store.hidden.hide(userId, seqs, upToSeq));
  return { msgIds: [...new Set(body.msgIds ?? [])], upToSeq };
}

/** Message `msgId` if `userId` may read it here; 404 otherwise (as if it did not exist). */
function readableMessage(store: ConversationStore, userId: string, msgId: string): StoredChange {
  const found = store.log.messageById(msgId);
  if (!found || found.message.seq > readableUpTo(store, userId)) {
    throw new NotFoundError(`msgId: no message ${msgId} in this conversation`);
  }
  return found;
}
