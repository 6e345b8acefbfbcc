/**
 * The SDK's one error: every refusal from the service (HTTP or WebSocket) and every request the
 * SDK gave up on carries the contract's `code`, the HTTP `status` and the `requestId`.
 */

/** `code` of the errors the SDK raises itself, when no answer came from the service. */
export const NO_ANSWER_CODE = 0;

/** A refusal (CONTRACT §1 codes) or a request that got no answer (`code` 0). */
export class ChatError extends Error {
  override readonly name = "ChatError";

  constructor(
    /** The contract's application code (100002 …), or 0 when the service never answered. */
    readonly code: number,
    message: string,
    /** The HTTP status; 0 for a WebSocket request and for no answer. */
    readonly status: number = 0,
    /** The answer's `X-Request-Id` (HTTP), or the frame `id` (WebSocket). */
    readonly requestId: string | undefined = undefined,
  ) {
    super(message);
  }

  /** The error an HTTP answer that is not 2xx stands for (its envelope when it has one). */
  static async fromResponse(response: Response): Promise<ChatError> {
    const requestId = response.headers.get("X-Request-Id") ?? undefined;
    let code = NO_ANSWER_CODE;
    let msg = `HTTP ${response.status}`;
    try {
      const body = await response.clone().json() as { code?: unknown; msg?: unknown };
      if (typeof body.code === "number") code = body.code;
      if (typeof body.msg === "string") msg = body.msg;
    } catch {
      // Not an envelope (a proxy's page, an empty body): the status alone says what happened.
    }
    return new ChatError(code, msg, response.status, requestId);
  }
}
