/**
 * How a Conversation answers each ask (shared/chat/conversation-asks.ts): who may ask (`need`),
 * the answer while the conversation has stored nothing (`unstored`: nothing to read yet), and
 * the answer itself, from the object's parts. `Conversation.ask` admits the caller and turns
 * errors into an outcome for all of them at once.
 */
import type {
  AskAnswer,
  AskArgs,
  ConversationAskName,
} from "../../shared/chat/conversation-asks.ts";
import { CHAT_TYPE, targetIdFor } from "../../shared/chat/conversation-id.ts";
import { editedOf, recallOf, toMessageChange } from "../../shared/chat/delivery.ts";
import { checkMessageContent } from "../../shared/chat/message-content.ts";
import type { ChatLog, SendAck } from "../../shared/chat/schemas.ts";
import type { ConversationPosition } from "../../shared/chat/types.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { pushFrame } from "../../shared/protocol/index.ts";
import { assertCanSend, assertParticipant, readableUpTo } from "./membership.ts";
import {
  markMediaSent,
  mediaOfSend,
  readableMedia,
  recordUpload,
  releaseMediaOf,
} from "./media.ts";
import { editMessage, hideMessages, recallMessage, sendExtras } from "./message-changes.ts";
import type { Outbox } from "./outbox.ts";
import { positionOf } from "./delivery-batches.ts";
import { FEATURE_ASKS } from "./feature-asks.ts";
import type { ReadCounts } from "./read-counts.ts";
import { withReactions } from "./reactions.ts";
import { catchUpOf, changesOf, readHistory, readRecordsOf } from "./reads.ts";
import type { ConversationStore } from "./store.ts";

/** What an answer may use: the object's storage, its outbox and its bindings. */
export interface ConversationParts {
  store: ConversationStore;
  outbox: Outbox;
  env: Env;
  /** The `read.count` pushes to senders of group messages (read-counts.ts). */
  readCounts: ReadCounts;
}

export interface AskHandler<A extends ConversationAskName> {
  /** "send": only a participant, and the first such ask creates the storage. */
  need: "read" | "send";
  /**
   * False when the ask stands for a delivery itself (a catch-up): what piled up for the caller
   * is not delivered on top of it.
   */
  deliversPending?: false;
  unstored?: (args: AskArgs<A>) => AskAnswer<A>;
  answer: (
    parts: ConversationParts,
    userId: string,
    args: AskArgs<A>,
  ) => AskAnswer<A> | Promise<AskAnswer<A>>;
}

export const ASKS: { [A in ConversationAskName]: AskHandler<A> } = {
  send: {
    need: "send",
    async answer({ store, outbox }, userId, request) {
      // No await between this check and the append: a racing resend cannot slip in between
      // (and the unique index on sender + client id would refuse it anyway).
      const earlier = store.log.findByClientMsgId(userId, request.clientMsgId);
      if (earlier) return ackOf(earlier);
      assertCanSend(store, userId);
      checkMessageContent(request);
      const media = request.media ? mediaOfSend(store, userId, request.mType, request.media) : null;
      const message = {
        msgId: newId(),
        sendId: userId,
        clientMsgId: request.clientMsgId,
        mType: request.mType,
        content: request.content,
        sendTime: Date.now(),
        ...sendExtras(store, userId, request),
        media,
      };
      const seq = store.transaction(() => {
        const seq = store.log.appendMessage(message);
        if (media) markMediaSent(store, media.mediaId, seq);
        store.search.add(seq, message.mType, message.content);
        // Sending a message reads everything before it (CONTRACT §7.4).
        store.members.advanceRead(userId, seq);
        return seq;
      });
      await outbox.fanOut();
      return ackOf({ ...message, conversationId: store.conversation.conversationId, seq });
    },
  },
  recall: {
    need: "read",
    unstored: ({ msgId }) => {
      throw noSuchMessage(msgId);
    },
    async answer({ store, outbox, env }, userId, { msgId }) {
      const { change, fresh } = recallMessage(store, userId, msgId);
      if (fresh) {
        await outbox.fanOut({ changed: true, reachAway: true });
        await releaseMediaOf(store, outbox, env, change.message.seq);
      }
      return recallOf(change);
    },
  },
  edit: {
    need: "read",
    unstored: ({ msgId }) => {
      throw noSuchMessage(msgId);
    },
    async answer({ store, outbox }, userId, { msgId, content, key }) {
      const { change, fresh } = editMessage(store, userId, msgId, content, key);
      if (fresh) await outbox.fanOut({ changed: true });
      return editedOf(change);
    },
  },
  hide: {
    need: "read",
    unstored: (body) => {
      if (body.msgIds?.[0] !== undefined) throw noSuchMessage(body.msgIds[0]);
      return { msgIds: [], upToSeq: 0 };
    },
    answer: ({ store }, userId, body) => hideMessages(store, userId, body),
  },
  catchUp: {
    need: "read",
    unstored: (query) => ({
      messages: [],
      seq: query.afterSeq,
      changes: [],
      changeSeq: query.afterChange,
    }),
    answer({ store }, userId, query) {
      const caughtUp = catchUpOf(store, userId, query);
      return { ...caughtUp, messages: withReactions(store, userId, caughtUp.messages) };
    },
  },
  changes: {
    need: "read",
    unstored: ({ afterChange }) => ({ list: [], changeSeq: afterChange }),
    answer({ store }, userId, { afterChange, count }) {
      const { changes, changeSeq } = changesOf(store, userId, afterChange, count);
      return { list: changes.map(toMessageChange), changeSeq };
    },
  },
  history: {
    need: "read",
    unstored: () => [],
    answer: ({ store }, userId, query) =>
      withReactions(store, userId, readHistory(store, userId, query)),
  },
  position: {
    need: "send",
    answer({ store }, userId) {
      // Setting a conversation up is not a send: a muted member or a blocked friend may. The
      // seq is the delivery watermark, not the log's end: messages above it are still on their
      // way to the member's session, and must arrive there as new (pushed, counted).
      assertParticipant(store, userId);
      return deliveredPositionOf(store, userId);
    },
  },
  catchUpMember: {
    need: "read",
    deliversPending: false,
    unstored: () => null,
    answer({ store, outbox }, userId) {
      readableUpTo(store, userId);
      const member = store.members.member(userId);
      if (!member) return null;
      if (!member.active) {
        // A former member is delivered nothing more, but may read up to where they left.
        const leftSeq = Math.max(member.deliveredSeq, member.leftSeq ?? 0);
        return positionOf(store, { ...member, deliveredSeq: leftSeq });
      }
      // The session takes this position in place of the messages: all of them count as
      // delivered — unless a delivery to the member is under way, which records and pushes
      // them itself (an open socket must get them live).
      if (!outbox.isDelivering(userId)) {
        const { log, changes } = store;
        store.members.markDelivered(userId, log.lastSeq(), changes.lastChange(), true);
      }
      outbox.memberSeen(userId);
      return deliveredPositionOf(store, userId);
    },
  },
  markRead: {
    need: "read",
    // Nothing stored yet: nothing to read, and a read position of 0 need not be kept.
    unstored: () => 0,
    async answer({ store, env, readCounts }, userId, { seq }) {
      const before = store.members.member(userId)?.readSeq ?? 0;
      const read = store.members.advanceRead(userId, Math.min(seq, readableUpTo(store, userId)));
      readCounts.moved(before, read);
      const { conversation } = store;
      if (conversation.chatType === CHAT_TYPE.single) {
        // The other side of a single chat sees the read at once (best effort: it is stored).
        const { conversationId } = conversation;
        const peer = targetIdFor(conversation, userId);
        await env.USER_SESSION.getByName(peer)
          .push(pushFrame("markChat", { conversationId, userId, read }))
          .catch((error: unknown) => console.warn(`markChat push to ${peer} failed:`, error));
      }
      return read;
    },
  },
  typingAudience: {
    need: "send",
    answer({ store }, userId) {
      assertCanSend(store, userId);
      return store.members.activeMemberIds().filter((memberId) => memberId !== userId);
    },
  },
  readRecords: {
    need: "read",
    unstored: ({ seq }) => {
      throw new NotFoundError(`seq: no message ${seq} in this conversation`);
    },
    answer: ({ store }, userId, { seq }) => readRecordsOf(store, userId, seq),
  },
  mediaAllowed: {
    need: "send",
    answer: ({ store }, userId) => {
      assertCanSend(store, userId);
      return null;
    },
  },
  mediaUploaded: {
    need: "send",
    answer({ store, outbox }, userId, upload) {
      assertCanSend(store, userId);
      return recordUpload(store, outbox, userId, upload);
    },
  },
  mediaRead: {
    need: "read",
    unstored: ({ mediaId }) => {
      throw new NotFoundError(`mediaId: no media ${mediaId}`);
    },
    answer: ({ store }, userId, { mediaId }) => readableMedia(store, userId, mediaId),
  },
  ...FEATURE_ASKS,
};

function deliveredPositionOf(store: ConversationStore, userId: string): ConversationPosition {
  const member = store.members.member(userId);
  if (member) return positionOf(store, member);
  return { seq: 0, read: 0, lastMsg: null, changeSeq: 0, mentionSeqs: [] };
}

function noSuchMessage(msgId: string): NotFoundError {
  return new NotFoundError(`msgId: no message ${msgId} in this conversation`);
}

/** The ack of a stored message: the first send's and every resend's. */
function ackOf(message: Pick<ChatLog, "msgId" | "conversationId" | "seq" | "sendTime">): SendAck {
  const { msgId, conversationId, seq, sendTime } = message;
  return { msgId, conversationId, seq, sendTime };
}
