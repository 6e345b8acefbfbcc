/**
 * Typed domain errors with the contract's application codes (CONTRACT §1). Low layers throw
 * these; the Worker's one `onError` (and the WebSocket error frame) turn them into answers.
 */

/** Application error codes; the first four are easy-chat's own. */
export const ERROR_CODE = {
  internal: 100001,
  invalidParams: 100002,
  unauthorized: 100003,
  storage: 100004,
  notFound: 100005,
  forbidden: 100006,
  conflict: 100007,
  rateLimited: 100008,
  payloadTooLarge: 100009,
} as const;

export type ErrorCode = (typeof ERROR_CODE)[keyof typeof ERROR_CODE];
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500;

/** Base class: an error whose message is safe to show a client developer. */
export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidParamsError extends AppError {
  constructor(message: string) {
    super(400, ERROR_CODE.invalidParams, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "token is missing, invalid or expired") {
    super(401, ERROR_CODE.unauthorized, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, ERROR_CODE.forbidden, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, ERROR_CODE.notFound, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, ERROR_CODE.conflict, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, ERROR_CODE.payloadTooLarge, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, ERROR_CODE.rateLimited, message);
  }
}

export class StorageError extends AppError {
  constructor(message = "storage failure, try again") {
    super(500, ERROR_CODE.storage, message);
  }
}

/** A deployment mistake (e.g. a short JWT_SECRET); the client sees a generic 500. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}
