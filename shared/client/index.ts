/**
 * easy-chat edge's client SDK: typed HTTP calls (`createApiClient`, `unwrap`), a realtime
 * session that survives reconnects (`ChatSession`), applying recalls and edits to the messages an
 * app holds (`applyMessageChange`), and the one error type (`ChatError`).
 * Web-standard TypeScript only: runs in browsers, Deno, Node 22+ and Workers.
 */
export {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type paths,
  unwrap,
} from "./http.ts";
export type { components } from "./api-types.ts";
export { ChatError, NO_ANSWER_CODE } from "./errors.ts";
export { type BackoffOptions, DEFAULT_BACKOFF, reconnectDelay } from "./backoff.ts";
export { type Accepted, MessageOrder } from "./message-order.ts";
export {
  ChangeOrder,
  type MessageChangeData,
  REMEMBERED_CHANGED_MESSAGES,
} from "./change-order.ts";
export {
  applyMessageChange,
  type EditedMessage,
  type MessageChange,
  type Recall,
  REPLY_PREVIEW_CHARS,
  replyPreview,
} from "./message-changes.ts";
export type { ChatLog, OutgoingChat, SendAck, SessionReady } from "./protocol.ts";
export {
  ChatSession,
  type ChatSessionEvents,
  type ChatSessionOptions,
  type SessionState,
  type WebSocketFactory,
} from "./session.ts";
