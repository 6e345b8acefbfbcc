/**
 * The WebSocket protocol as the SDK sees it (CONTRACT §6, §10, §14), written against the
 * generated `components` (api-types.ts) only: the published package carries no server code, no
 * zod. test/client/protocol-types.node.test.ts proves these types equal the server's own table
 * (shared/protocol/methods.ts), so they cannot drift.
 */
import type { components } from "./api-types.ts";

type Schemas = components["schemas"];

export type ChatLog = Schemas["ChatLog"];
export type ReplyTo = NonNullable<ChatLog["replyTo"]>;
export type Recall = Schemas["Recall"];
export type EditedMessage = Schemas["EditedMessage"];
export type MessageChange = Schemas["MessageChange"];
export type ReactionSummary = Schemas["ReactionSummary"];
export type ReactionChange = Schemas["ReactionChange"];
export type PinChange = Schemas["PinChange"];
export type SearchHit = Schemas["SearchHit"];
export type SendAck = Schemas["SendAck"];
export type FriendRequest = Schemas["FriendRequest"];
export type Group = Schemas["Group"];

/** A message to send: `conversation.chat`'s data (`POST /v1/im/chat`'s body less its id). */
export type OutgoingChat = Omit<Schemas["SendBody"], "clientMsgId"> & {
  conversationId?: string;
};

/** Per conversation, the last seq (and change seq) seen: what `conversation.sync` carries. */
export interface SyncData {
  conversations: Record<string, number>;
  changes?: Record<string, number>;
}

/** Requests a client may send (`frameType: 0` with `method`): `data` in, ack `data` out. */
export interface ClientMethods {
  "conversation.chat": { data: OutgoingChat; ack: SendAck };
  "conversation.markChat": {
    data: { conversationId: string; seq: number };
    ack: { conversationId: string; read: number };
  };
  "conversation.sync": { data: SyncData; ack: SyncData };
  "conversation.recall": {
    data: { conversationId: string; msgId: string };
    ack: Recall;
  };
  "conversation.edit": {
    data: { conversationId: string; msgId: string; content: string };
    ack: EditedMessage;
  };
  "conversation.typing": {
    data: { conversationId: string };
    ack: Record<string, never>;
  };
  "conversation.react": {
    data: { conversationId: string; msgId: string; emoji: string; on: boolean };
    ack: ReactionChange;
  };
  "user.online": {
    data: Record<string, never>;
    ack: { onlineList: Record<string, boolean> };
  };
}

export type MethodName = keyof ClientMethods;
/** What a client sends as method `M`'s `data`. */
export type MethodInput<M extends MethodName> = ClientMethods[M]["data"];
/** Method `M`'s ack `data`. */
export type MethodAck<M extends MethodName> = ClientMethods[M]["ack"];

/** One conversation's counters in `session.ready`. */
export interface ReadyConversation {
  seq: number;
  read: number;
  unread: number;
  mentionUnread: number;
  /** The last recall or edit this conversation has (docs/sdk.md "Recall and edit"). */
  changeSeq: number;
  /** Your setting: pushes only for mentions of you or all (docs/push.md). */
  muted: boolean;
  /** Your setting: listed first. */
  pinned: boolean;
  /** The last message; left out (not null) past the frame's size budget. */
  lastMsg?: ChatLog | null;
}

/** A pending invitation to a group from someone who is not the invitee's friend (§15). */
export type GroupInvitation = Schemas["GroupInvitation"];

/** Every push the server sends (`frameType: 0` with `method`) and its `data`. */
export interface ServerPushes {
  /** A new message; the frame's `formId` is its sender. */
  push: ChatLog;
  recall: Recall;
  edit: EditedMessage;
  reaction: ReactionChange;
  pin: PinChange;
  /** To a group message's sender: per seq of their recent messages, how many have read it. */
  "read.count": { conversationId: string; counts: Record<string, number> };
  "group.notice": {
    groupId: string;
    notification: string;
    notificationUid: string;
  };
  "chatlog.deleted": {
    conversationId: string;
    msgIds: string[];
    upToSeq: number;
  };
  markChat: { conversationId: string; userId: string; read: number };
  typing: { conversationId: string; userId: string };
  "session.ready": {
    userId: string;
    conversations: Record<string, ReadyConversation>;
  };
  // CONTRACT §14 social pushes: best effort, not stored. Typed here so that an app's listeners
  // fire as soon as a server sends them (docs/sdk.md says which server versions do).
  "friend.request": { request: FriendRequest };
  "friend.handled": { request: FriendRequest };
  "friend.removed": { userId: string };
  "group.invitation": { invitation: GroupInvitation };
  "group.joined": { group: Group };
  "group.removed": { groupId: string; reason: "kicked" | "dissolved" | "quit" };
  presence: { userId: string; online: boolean };
}

export type PushMethod = keyof ServerPushes;
/** The `data` of push `M`. */
export type PushData<M extends PushMethod> = ServerPushes[M];
export type SessionReady = PushData<"session.ready">;

/** The §14 pushes, passed on as events of the same name. */
export const SOCIAL_PUSHES = [
  "friend.request",
  "friend.handled",
  "friend.removed",
  "group.invitation",
  "group.joined",
  "group.removed",
  "presence",
] as const satisfies readonly PushMethod[];

/** The heartbeat, byte for byte (the server answers exactly this without waking up). */
export const HEARTBEAT = '{"frameType":1}';

export const FRAME_TYPE = { data: 0, ping: 1, ack: 2, error: 9 } as const;

/** Any frame the server sends, loosely typed: the SDK checks what it reads. */
export interface IncomingFrame {
  frameType: number;
  id?: string;
  method?: string;
  data?: unknown;
}
