/**
 * What a message may carry (CONTRACT §1 mType, §6 content limits): checked once, here, for the
 * HTTP and the WebSocket send paths alike.
 */
import { InvalidParamsError, PayloadTooLargeError } from "../errors.ts";
import { MAX_CONTENT_BYTES } from "../limits.ts";
import { isWellFormed, utf8ByteLength } from "../text.ts";
import type { MessageBody } from "./schemas.ts";

export const M_TYPE = { text: 0, image: 1, file: 2, custom: 3, voice: 4 } as const;
export type MType = (typeof M_TYPE)[keyof typeof M_TYPE];

/** The message types that carry an upload in `msg.media` (CONTRACT §11). */
const MEDIA_M_TYPES: readonly number[] = [M_TYPE.image, M_TYPE.file, M_TYPE.voice];

/** Throws InvalidParamsError / PayloadTooLargeError unless `msg` is a sendable message. */
export function checkMessageContent(
  msg: MessageBody,
): asserts msg is MessageBody & { mType: MType } {
  if (!Number.isInteger(msg.mType) || msg.mType < 0 || msg.mType > 4) {
    throw new InvalidParamsError(
      "msg.mType: must be 0 text, 1 image, 2 file, 3 custom or 4 voice",
    );
  }
  // Checked before the size: a lone surrogate would be stored as U+FFFD, bytes the size never saw.
  if (!isWellFormed(msg.content)) {
    throw new InvalidParamsError(
      "msg.content: must be well-formed Unicode (no unpaired surrogates)",
    );
  }
  if (utf8ByteLength(msg.content) > MAX_CONTENT_BYTES) {
    throw new PayloadTooLargeError(`msg.content: at most ${MAX_CONTENT_BYTES} bytes`);
  }
  if (msg.media !== undefined) {
    // The upload is the message; `content` is its caption, which may be empty.
    if (!MEDIA_M_TYPES.includes(msg.mType)) {
      throw new InvalidParamsError("msg.media: only mType 1 image, 2 file or 4 voice carries it");
    }
    return;
  }
  if (msg.mType === M_TYPE.voice) {
    throw new InvalidParamsError("msg.media: a voice message (mType 4) carries an upload");
  }
  if (msg.content.length === 0) throw new InvalidParamsError("msg.content: must not be empty");
  if (
    (msg.mType === M_TYPE.image || msg.mType === M_TYPE.file) &&
    !/^https?:\/\/\S+$/i.test(msg.content)
  ) {
    throw new InvalidParamsError(
      "msg.content: an image or file message carries an http(s) URL (or an upload in msg.media)",
    );
  }
  if (msg.mType === M_TYPE.custom) {
    try {
      JSON.parse(msg.content);
    } catch {
      throw new InvalidParamsError("msg.content: a custom message carries a JSON string");
    }
  }
}
