/**
 * The SDK's one error: every refusal from the service (HTTP or WebSocket) and every request the
 * SDK gave up on carries the contract's `code`, the HTTP `status`, the `requestId` and, for a
 * rate limit, how long to wait (`retryAfter`).
 */

/** `code` of the errors the SDK raises itself, when no answer came from the service. */
export const NO_ANSWER_CODE = 0;

/** The contract's "rate limited" code: the one refusal that waiting can cure. */
export const RATE_LIMITED_CODE = 100008;

/** A refusal (CONTRACT §1 codes) or a request that got no answer (`code` 0). */
export class ChatError extends Error {
  override readonly name = "ChatError";
  /** The contract's application code (100002 …), or 0 when the service never answered. */
  readonly code: number;
  /** The HTTP status; 0 for a WebSocket request and for no answer. */
  readonly status: number;
  /** The answer's `X-Request-Id` (HTTP), or the frame `id` (WebSocket). */
  readonly requestId: string | undefined;
  /** Seconds to wait before trying again (100008: `Retry-After`); undefined otherwise. */
  readonly retryAfter: number | undefined;

  // Plain fields, no parameter properties: type stripping (Node 22+) cannot erase those.
  constructor(
    code: number,
    message: string,
    status = 0,
    requestId: string | undefined = undefined,
    retryAfter: number | undefined = undefined,
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** The error an HTTP answer that is not 2xx stands for (its envelope when it has one). */
  static async fromResponse(response: Response): Promise<ChatError> {
    const requestId = response.headers.get("X-Request-Id") ?? undefined;
    let code = NO_ANSWER_CODE;
    let msg = `HTTP ${response.status}`;
    try {
      const body = await response.clone().json() as {
        code?: unknown;
        msg?: unknown;
      };
      if (typeof body.code === "number") code = body.code;
      if (typeof body.msg === "string") msg = body.msg;
    } catch {
      // Not an envelope (a proxy's page, an empty body): the status alone says what happened.
    }
    const header = Number(response.headers.get("Retry-After") ?? NaN);
    const retryAfter = Number.isFinite(header) ? header : undefined;
    return new ChatError(code, msg, response.status, requestId, retryAfter);
  }

  /**
   * The error an error frame stands for. A 100008 frame says its wait in `retryAfter` (newer
   * servers) or in its text ("…, retry in 2 s"); without either, 1 s.
   */
  static fromFrame(id: string, data: unknown): ChatError {
    const { code, msg, retryAfter } = (data ?? {}) as {
      code?: unknown;
      msg?: unknown;
      retryAfter?: unknown;
    };
    const text = typeof msg === "string" ? msg : "refused";
    const numeric = typeof code === "number" ? code : NO_ANSWER_CODE;
    let wait: number | undefined;
    if (numeric === RATE_LIMITED_CODE) {
      const said = /retry in (\d+(?:\.\d+)?) ?s/.exec(text)?.[1];
      wait = typeof retryAfter === "number" ? retryAfter : said ? Number(said) : 1;
    }
    return new ChatError(numeric, text, 0, id, wait);
  }
}
