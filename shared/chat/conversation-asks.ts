/**
 * What a user may ask a Conversation object, by name: each ask's arguments and answer. The
 * object takes every ask through one RPC, `Conversation.ask(userId, name, args)`, which admits
 * the caller and turns domain errors into an outcome once; `askConversation` is its one caller
 * and turns the outcome back into a typed error on this side.
 */
import type { RpcOutcome } from "../rpc-outcome.ts";
import type { Media, MediaFile, UploadRecord } from "../media/schemas.ts";
import type { SearchHit } from "./reaction-schemas.ts";
import { unwrapOutcome } from "../rpc-outcome.ts";
import type { ParsedConversationId } from "./conversation-id.ts";
import type { ChatLog, DeleteChatlogBody, ReadRecords, SendAck } from "./schemas.ts";
import type {
  EditedMessage,
  MessageChanges,
  PinChange,
  ReactionChange,
  Recall,
} from "./change-schemas.ts";
import type {
  CatchUp,
  CatchUpQuery,
  ConversationPosition,
  HistoryQuery,
  SendRequest,
} from "./types.ts";

/** What delete-for-me hid: the ids asked for that were there, and the seq hidden up to. */
export interface HiddenMessages {
  msgIds: string[];
  upToSeq: number;
}

/** Each ask: [its arguments, its answer]. */
export interface ConversationAsks {
  /** Stores a message (a resend answers with the first ack) and starts its fan-out. */
  send: [SendRequest, SendAck];
  recall: [{ msgId: string }, Recall];
  /** `key` is the request's id: a resent edit changes nothing. */
  edit: [{ msgId: string; content: string; key?: string | undefined }, EditedMessage];
  /** Delete for me. */
  hide: [Omit<DeleteChatlogBody, "conversationId">, HiddenMessages];
  /** What a client missed, for `conversation.sync`. */
  catchUp: [CatchUpQuery, CatchUp];
  changes: [{ afterChange: number; count: number }, MessageChanges];
  history: [HistoryQuery, ChatLog[]];
  /** Where the user stands, for setting the conversation up in their list. */
  position: [null, ConversationPosition];
  /** Where the user stands, all of it delivered, for a list behind the conversation. */
  catchUpMember: [null, ConversationPosition | null];
  markRead: [{ seq: number }, number];
  /** Who should see the user typing. */
  typingAudience: [null, string[]];
  readRecords: [{ seq: number }, ReadRecords];
  /** Refuses an upload by someone who may not send here now (before any byte is stored). */
  mediaAllowed: [null, null];
  /** Records an upload whose bytes are in the bucket. */
  mediaUploaded: [UploadRecord, Media];
  /** The media the user may read, to serve its bytes. */
  mediaRead: [{ mediaId: string }, MediaFile];
  /** Adds (`on`) or takes back a reaction; a toggle that changes nothing answers as it stands. */
  react: [{ msgId: string; emoji: string; on: boolean }, ReactionChange];
  /** Pins or unpins a message; a repeat answers as it stands. */
  pin: [{ msgId: string; pinned: boolean }, PinChange];
  /** The pinned messages, newest pin first. */
  pins: [null, ChatLog[]];
  /** Text messages containing `q`, newest first, from a cursor's place on. */
  search: [SearchAsk, SearchHit[]];
}

/** A search of one conversation: the query, the page size and where the page starts. */
export interface SearchAsk {
  q: string;
  limit: number;
  beforeSeq?: number | undefined;
  beforeTime?: number | undefined;
  atTimeToo?: boolean | undefined;
}

export type ConversationAskName = keyof ConversationAsks;
export type AskArgs<A extends ConversationAskName> = ConversationAsks[A][0];
export type AskAnswer<A extends ConversationAskName> = ConversationAsks[A][1];

/** Asks `conversation`'s object as `userId`; the answer, or the AppError it refused with. */
export async function askConversation<A extends ConversationAskName>(
  env: Pick<Env, "CONVERSATION">,
  conversation: ParsedConversationId,
  userId: string,
  ask: A,
  args: AskArgs<A>,
): Promise<AskAnswer<A>> {
  const object = env.CONVERSATION.getByName(conversation.conversationId);
  const outcome = await object.ask(userId, ask, args);
  return unwrapOutcome(outcome as RpcOutcome<AskAnswer<A>>);
}
