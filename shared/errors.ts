/**
 * Typed domain errors with the contract's application codes (CONTRACT §1). Low layers throw
 * these; the Worker's one `onError` (and the WebSocket error frame) turn them into answers.
 */
import { ERROR_CODE as WIRE_ERROR_CODE } from "./client/constants.ts";

/**
 * Application error codes; the first four are easy-chat's own. The wire's codes are written once,
 * in the SDK's constants (which the SDK ships without any server code); the server has all but
 * the SDK's own "no answer".
 */
const { noAnswer: _noAnswer, ...serverCodes } = WIRE_ERROR_CODE;
export const ERROR_CODE = serverCodes;

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

/** The AppError base for one status and code; its subclasses keep their names (`new.target`). */
function appError(status: ErrorStatus, code: ErrorCode) {
  return class extends AppError {
    constructor(message: string) {
      super(status, code, message);
    }
  };
}

export class InvalidParamsError extends appError(400, ERROR_CODE.invalidParams) {}
export class ForbiddenError extends appError(403, ERROR_CODE.forbidden) {}
export class NotFoundError extends appError(404, ERROR_CODE.notFound) {}
export class ConflictError extends appError(409, ERROR_CODE.conflict) {}
export class PayloadTooLargeError extends appError(413, ERROR_CODE.payloadTooLarge) {}

export class UnauthorizedError extends appError(401, ERROR_CODE.unauthorized) {
  constructor(message = "token is missing, invalid or expired") {
    super(message);
  }
}

export class RateLimitedError extends appError(429, ERROR_CODE.rateLimited) {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class StorageError extends appError(500, ERROR_CODE.storage) {
  constructor(message = "storage failure, try again") {
    super(message);
  }
}

/** A deployment mistake (e.g. a short JWT_SECRET); the client sees a generic 500. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}
