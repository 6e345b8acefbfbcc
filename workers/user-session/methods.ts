/**
 * The dispatch table: method name → handler. A handler declares the zod schema of its `data`
 * and returns the ack `data` (or throws an AppError, which becomes the error frame). Groups of
 * handlers live in their own files and are combined once in method-table.ts.
 */
import type { z } from "zod";
import type { MethodName, ServerFrame } from "../../shared/protocol/index.ts";

/** What a handler knows about the request it answers. */
export interface MethodCall {
  env: Env;
  ctx: DurableObjectState;
  /** The socket's user: the verified token's subject. */
  userId: string;
  /** The socket the request came on. */
  socket: WebSocket;
  /** The request's `id` (the ack and error frames carry it). */
  requestId: string;
  formId: string | undefined;
  /** Sends a frame on this socket only, before the ack (e.g. sync's pushes). */
  send(frame: ServerFrame): void;
}

export interface MethodHandler<S extends z.ZodType = z.ZodType> {
  /** Schema of the request's `data` (a missing `data` is validated as `{}`). */
  readonly data: S;
  /** Returns the ack's `data`; throws an AppError for an error frame. */
  run(call: MethodCall, data: z.output<S>): unknown;
}

/** A set of handlers registered together, e.g. the session's own or the chat ones. */
export type MethodGroup = Partial<Record<MethodName, MethodHandler>>;

export type MethodTable = ReadonlyMap<string, MethodHandler>;

/** Declares one handler, typing `data` from its schema. */
export function defineMethod<S extends z.ZodType>(
  data: S,
  run: (call: MethodCall, data: z.output<S>) => unknown,
): MethodHandler<S> {
  return { data, run };
}

/** Combines groups into one table; a method registered twice is a programming error. */
export function createMethodTable(...groups: MethodGroup[]): MethodTable {
  const table = new Map<string, MethodHandler>();
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (!handler) continue;
      if (table.has(name)) throw new Error(`method ${name} is registered twice`);
      table.set(name, handler);
    }
  }
  return table;
}
