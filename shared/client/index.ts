/**
 * easy-chat edge's client SDK: typed HTTP calls (`createApiClient`, `unwrap`), a realtime
 * session that survives reconnects (`ChatSession`), applying recalls and edits to the messages an
 * app holds (`applyMessageChange`), Web Push subscriptions and conversation settings
 * (`PushNotifications`, `setConversationSettings`), the contract's constants, and the one error type
 * (`ChatError`). Web-standard JavaScript only: runs in browsers, Deno, Node 22+, Workers, and on
 * Node 20 with a WebSocket class passed in (docs/sdk.md).
 */
export {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type paths,
  unwrap,
} from "./http.ts";
export type { components } from "./api-types.ts";
export { ChatError, NO_ANSWER_CODE, RATE_LIMITED_CODE } from "./errors.ts";
export { type BackoffOptions, DEFAULT_BACKOFF, reconnectDelay } from "./backoff.ts";
export { DEFAULT_PACE, type PaceOptions } from "./pacer.ts";
export {
  ConversationStore,
  type ConversationStoreEvents,
  type ConversationSummary,
} from "./conversation-store.ts";
export { type CursorPage, type HistoryOptions, historyPages, items, pages } from "./pages.ts";
export { type Accepted, MessageOrder } from "./message-order.ts";
export {
  ChangeOrder,
  type MessageChangeData,
  REMEMBERED_CHANGED_MESSAGES,
} from "./change-order.ts";
export { applyMessageChange, applyPinChange } from "./message-changes.ts";
export { pin, pinnedMessages, search, type SearchOptions } from "./features.ts";
export {
  answerGroupInvitation,
  groupInvitations,
  type InvitationAnswer,
} from "./group-invitations.ts";
export {
  type BrowserPushSubscription,
  type ConversationSettings,
  PushNotifications,
  type PushRegistration,
  setConversationSettings,
} from "./push.ts";
export { REPLY_PREVIEW_CHARS, replyPreview } from "./reply-preview.ts";
export {
  type Media,
  MEDIA_MESSAGE_TYPE,
  MediaClient,
  type MediaClientOptions,
  type MediaKind,
  mediaMessage,
  type MediaMessageExtras,
  type MediaUrl,
  type MessageMedia,
  type UploadMediaOptions,
} from "./media.ts";
export {
  CHAT_TYPE,
  type ChatType,
  CLOSE_CODE,
  conversationIdOf,
  ERROR_CODE,
  FINAL_CLOSE_CODES,
  HANDLE_RESULT,
  JOIN_SOURCE,
  MESSAGE_TYPE,
  ROLE_LEVEL,
  SEX,
} from "./constants.ts";
export type {
  ChatLog,
  ClientMethods,
  EditedMessage,
  FriendRequest,
  Group,
  GroupInvitation,
  MessageChange,
  MethodAck,
  MethodInput,
  MethodName,
  OutgoingChat,
  PinChange,
  PushData,
  PushMethod,
  ReactionChange,
  ReactionSummary,
  ReadyConversation,
  Recall,
  ReplyTo,
  SearchHit,
  SendAck,
  ServerPushes,
  SessionReady,
} from "./protocol.ts";
export type { WebSocketClass, WebSocketFactory, WebSocketLike } from "./socket.ts";
export {
  ChatSession,
  type ChatSessionEvents,
  type ChatSessionOptions,
  type Disconnect,
  type SessionSnapshot,
  type SessionState,
} from "./session.ts";
