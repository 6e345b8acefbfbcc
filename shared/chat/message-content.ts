/**
 * What a message may carry (CONTRACT §1 mType, §6 content limits): checked once, here, for the
 * HTTP and the WebSocket send paths alike.
 */
import { InvalidParamsError, PayloadTooLargeError } from "../errors.ts";
import { MAX_CONTENT_BYTES } from "../limits.ts";
import { isWellFormed, utf8ByteLength } from "../text.ts";
import type { MessageBody } from "./schemas.ts";

export const M_TYPE = { text: 0, image: 1, file: 2, custom: 3 } as const;
export type MType = (typeof M_TYPE)[keyof typeof M_TYPE];

/** Throws InvalidParamsError / PayloadTooLargeError unless `msg` is a sendable message. */
export function checkMessageContent(
  msg: MessageBody,
): asserts msg is { mType: MType; content: string } {
  if (!Number.isInteger(msg.mType) || msg.mType < 0 || msg.mType > 3) {
    throw new InvalidParamsError("msg.mType: must be 0 text, 1 image, 2 file or 3 custom");
  }
  if (msg.content.length === 0) throw new InvalidParamsError("msg.content: must not be empty");
  // Checked before the size: a lone surrogate would be stored as U+FFFD, bytes the size never saw.
  if (!isWellFormed(msg.content)) {
    throw new InvalidParamsError(
      "msg.content: must be well-formed Unicode (no unpaired surrogates)",
    );
  }
  if (utf8ByteLength(msg.content) > MAX_CONTENT_BYTES) {
    throw new PayloadTooLargeError(`msg.content: at most ${MAX_CONTENT_BYTES} bytes`);
  }
  if (
    (msg.mType === M_TYPE.image || msg.mType === M_TYPE.file) &&
    !/^https?:\/\/\S+$/i.test(msg.content)
  ) {
    throw new InvalidParamsError("msg.content: an image or file message carries an http(s) URL");
  }
  if (msg.mType === M_TYPE.custom) {
    try {
      JSON.parse(msg.content);
    } catch {
      throw new InvalidParamsError("msg.content: a custom message carries a JSON string");
    }
  }
}
