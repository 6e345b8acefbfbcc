/**
 * The WebSocket protocol as the SDK sees it: the server's own method and push tables
 * (shared/protocol), imported as types only, so the SDK carries no copy of them and no zod.
 */
import type { z } from "zod";
import type { ChatLog } from "../chat/schemas.ts";
import type { CLIENT_METHODS, MethodAck, MethodName, PushData } from "../protocol/methods.ts";

export type { ChatLog, MethodAck, MethodName, PushData };

/** What a client sends as a method's `data` (before the server parses it). */
export type MethodInput<M extends MethodName> = z.input<(typeof CLIENT_METHODS)[M]["data"]>;

/** A message to send: `conversation.chat`'s data. */
export type OutgoingChat = MethodInput<"conversation.chat">;
export type SendAck = MethodAck<"conversation.chat">;
export type SessionReady = PushData<"session.ready">;

/** The heartbeat, byte for byte (the server answers exactly this without waking up). */
export const HEARTBEAT = '{"frameType":1}';

export const FRAME_TYPE = { data: 0, ping: 1, ack: 2, error: 9 } as const;

/** Close codes after which reconnecting cannot help (CONTRACT §6, docs/sdk.md). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  4001, // token expired: log in again
  4002, // replaced by a newer connection of this user: reconnecting would push that one out
  4003, // revoked: log in again
]);

/** Any frame the server sends, loosely typed: the SDK checks what it reads. */
export interface IncomingFrame {
  frameType: number;
  id?: string;
  method?: string;
  data?: unknown;
}
