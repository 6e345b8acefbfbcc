/**
 * WebSocket frames (CONTRACT §6): JSON text `{frameType, id?, method?, formId?, data?}`.
 * Client frames are one zod discriminated union on `frameType`; server frames are built only by
 * the typed builders here, so the objects and the tests all write the same bytes.
 */
import { z } from "zod";
import type { MethodAck, MethodName, PushData, PushMethod, ServerPush } from "./methods.ts";

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

/** Request ids: any non-empty string up to 128 characters (a UUID is recommended). */
export const requestIdSchema = z.string().min(1, "id must not be empty").max(128);

/** A request: `frameType: 0` with a `method` and a client-chosen unique `id` (a UUID). */
export const requestFrameSchema = z.object({
  frameType: z.literal(FRAME_TYPE.data),
  id: requestIdSchema,
  method: z.string().min(1).max(64),
  formId: z.string().max(128).optional(),
  data: z.unknown().optional(),
});

/** A ping that is not byte-identical to HEARTBEAT (e.g. with spaces). */
export const pingFrameSchema = z.object({ frameType: z.literal(FRAME_TYPE.ping) });

/** Every frame a client may send. Unknown fields are ignored (stripped). */
export const clientFrameSchema = z.discriminatedUnion("frameType", [
  requestFrameSchema,
  pingFrameSchema,
]);

export type RequestFrame = z.infer<typeof requestFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** The answer to a request that succeeded: its `data` is the method's ack type. */
export interface AckFrame<M extends MethodName = MethodName> {
  frameType: typeof FRAME_TYPE.ack;
  id: string;
  data: MethodAck<M>;
}

/** The answer to a request (or an unreadable frame, then without `id`) that failed. */
export interface ErrorFrame {
  frameType: typeof FRAME_TYPE.error;
  id?: string;
  data: { code: number; msg: string };
}

/** A server-initiated frame: one of ServerPush with `frameType: 0`. */
export type PushFrame<M extends PushMethod = PushMethod> =
  & { frameType: typeof FRAME_TYPE.data }
  & Extract<ServerPush, { method: M }>;

export type ServerFrame = AckFrame | ErrorFrame | PushFrame | PingFrame;

/** `{frameType: 2, id, data}`: the ack of a `method` request. */
export function ackFrame<M extends MethodName>(
  _method: M,
  id: string,
  data: MethodAck<M>,
): AckFrame<M> {
  return { frameType: FRAME_TYPE.ack, id, data };
}

/** `{frameType: 9, id?, data: {code, msg}}`; `id` is echoed whenever it could be read. */
export function errorFrame(id: string | undefined, code: number, msg: string): ErrorFrame {
  const frame: ErrorFrame = { frameType: FRAME_TYPE.error, data: { code, msg } };
  if (id !== undefined) frame.id = id;
  return frame;
}

/**
 * `{frameType: 0, method, data}`: a push from the server. A message push names its sender in
 * `formId` (CONTRACT §6), taken from the message itself.
 */
export function pushFrame<M extends PushMethod>(method: M, data: PushData<M>): PushFrame<M> {
  // The signature ties `data` to `method` for callers; inside, TypeScript cannot follow M.
  const frame: Record<string, unknown> = { frameType: FRAME_TYPE.data, method, data };
  if (method === "push") frame.formId = (data as PushData<"push">).sendId;
  return frame as PushFrame<M>;
}

/** The wire text of a server frame. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
