/** Runs one request through the dispatch table and answers it with an ack or an error frame. */
import { AppError, ERROR_CODE } from "../../shared/errors.ts";
import {
  ackFrame,
  describeIssues,
  errorFrame,
  type RequestFrame,
  type ServerFrame,
} from "../../shared/protocol/index.ts";
import type { MethodCall, MethodTable } from "./methods.ts";

export interface RequestContext {
  env: Env;
  ctx: DurableObjectState;
  userId: string;
  socket: WebSocket;
  send(frame: ServerFrame): void;
}

/** The answer to `request`: never throws, so every request gets exactly one answer. */
export async function answerRequest(
  table: MethodTable,
  request: RequestFrame,
  context: RequestContext,
): Promise<ServerFrame> {
  const handler = table.get(request.method);
  if (!handler) {
    return errorFrame(
      request.id,
      ERROR_CODE.invalidParams,
      `unknown method "${request.method}"`,
    );
  }
  const data = handler.data.safeParse(request.data ?? {});
  if (!data.success) {
    const msg = `invalid data: ${describeIssues(data.error)}`;
    return errorFrame(request.id, ERROR_CODE.invalidParams, msg);
  }
  const call: MethodCall = { ...context, requestId: request.id, formId: request.formId };
  try {
    return ackFrame(request.id, (await handler.run(call, data.data)) ?? {});
  } catch (error) {
    if (error instanceof AppError) return errorFrame(request.id, error.code, error.message);
    console.error(`UserSession ${context.userId}: ${request.method} failed:`, error);
    return errorFrame(request.id, ERROR_CODE.internal, "internal error");
  }
}
