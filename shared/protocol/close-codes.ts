/**
 * Every close code the server uses (CONTRACT §6, §7.6), with the reason text sent along.
 * 1009 is the runtime's own answer to a frame over its 1 MiB hard limit.
 */
export const CLOSE_CODE = {
  normal: 1000,
  tooBig: 1009,
  idle: 4000,
  tokenExpired: 4001,
  replaced: 4002,
  /** The socket's token was revoked (logout, logout everywhere, password change). */
  revoked: 4003,
  flooding: 4008,
} as const satisfies Record<string, number>;

export type CloseCode = (typeof CLOSE_CODE)[keyof typeof CLOSE_CODE];

export const CLOSE_REASON = {
  idle: "idle",
  tokenExpired: "token expired",
  replaced: "replaced by a newer connection",
  revoked: "revoked",
  flooding: "rate limit exceeded",
} as const satisfies Record<string, string>;

/**
 * Codes a server may not send back (`WebSocket.close()` throws on them): reserved for the
 * runtime to report, never to put on the wire.
 */
const UNSENDABLE_CLOSE_CODES = new Set([1004, 1005, 1006, 1015]);

/** The code to close back with after the peer closed with `code` (echoed when sendable). */
export function closeBackCode(code: number): number {
  const sendable = (code >= 1000 && code <= 1014 && !UNSENDABLE_CLOSE_CODES.has(code)) ||
    (code >= 3000 && code <= 4999);
  return sendable ? code : CLOSE_CODE.normal;
}
