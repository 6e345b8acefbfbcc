/**
 * WebSocket frames (CONTRACT §6): JSON text `{frameType, id?, method?, formId?, data?}`.
 * Client frames are one zod discriminated union on `frameType`; server frames are plain types
 * with builders, so the object, the conversation objects and the tests all write the same bytes.
 */
import { z } from "zod";

/** `frameType` values: 0 data (request or push) · 1 ping · 2 ack · 9 error. */
export const FRAME_TYPE = {
  data: 0,
  ping: 1,
  ack: 2,
  error: 9,
} as const satisfies Record<string, number>;

/**
 * The heartbeat, byte for byte, both ways. The runtime answers this exact string itself
 * (hibernation auto-response), so it never wakes the object; any other spelling of a ping is
 * answered by the object with this same string.
 */
export const HEARTBEAT = '{"frameType":1}';

/** A request: `frameType: 0` with a `method` and a client-chosen unique `id` (a UUID). */
export interface RequestFrame {
  frameType: typeof FRAME_TYPE.data;
  id: string;
  method: string;
  formId?: string | undefined;
  data?: unknown;
}

/** A ping that is not byte-identical to HEARTBEAT (e.g. with spaces). */
export interface PingFrame {
  frameType: typeof FRAME_TYPE.ping;
}

export type ClientFrame = RequestFrame | PingFrame;

/** Request ids: any non-empty string up to 128 characters (a UUID is recommended). */
export const requestIdSchema = z.string().min(1, "id must not be empty").max(128);

export const requestFrameSchema = z.object({
  frameType: z.literal(FRAME_TYPE.data),
  id: requestIdSchema,
  method: z.string().min(1).max(64),
  formId: z.string().max(128).optional(),
  data: z.unknown().optional(),
}) satisfies z.ZodType<RequestFrame>;

export const pingFrameSchema = z.object({
  frameType: z.literal(FRAME_TYPE.ping),
}) satisfies z.ZodType<PingFrame>;

/** Every frame a client may send. Unknown fields are ignored (stripped). */
export const clientFrameSchema = z.discriminatedUnion("frameType", [
  requestFrameSchema,
  pingFrameSchema,
]) satisfies z.ZodType<ClientFrame>;

/** The answer to a request that succeeded. */
export interface AckFrame<T = unknown> {
  frameType: typeof FRAME_TYPE.ack;
  id: string;
  data: T;
}

/** The answer to a request (or an unreadable frame, then without `id`) that failed. */
export interface ErrorFrame {
  frameType: typeof FRAME_TYPE.error;
  id?: string;
  data: { code: number; msg: string };
}

/** A server-initiated frame: `session.ready`, `push`, `markChat`, `typing`. */
export interface PushFrame<T = unknown> {
  frameType: typeof FRAME_TYPE.data;
  method: string;
  formId?: string;
  data: T;
}

export type ServerFrame = AckFrame | ErrorFrame | PushFrame | PingFrame;

/** `{frameType: 2, id, data}`. */
export function ackFrame<T>(id: string, data: T): AckFrame<T> {
  return { frameType: FRAME_TYPE.ack, id, data };
}

/** `{frameType: 9, id?, data: {code, msg}}`; `id` is echoed whenever it could be read. */
export function errorFrame(id: string | undefined, code: number, msg: string): ErrorFrame {
  const frame: ErrorFrame = { frameType: FRAME_TYPE.error, data: { code, msg } };
  if (id !== undefined) frame.id = id;
  return frame;
}

/** `{frameType: 0, method, data, formId?}` — a push from the server. */
export function pushFrame<T>(method: string, data: T, formId?: string): PushFrame<T> {
  const frame: PushFrame<T> = { frameType: FRAME_TYPE.data, method, data };
  if (formId !== undefined) frame.formId = formId;
  return frame;
}

/** The wire text of a server frame. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
