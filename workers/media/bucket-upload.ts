/**
 * Streams an upload's body into the MEDIA bucket (CONTRACT §11) without holding it whole.
 *
 * R2 stores a stream only when its length is known. With a `Content-Length` (within the kind's
 * limit) the body goes through the runtime's own pipes into a FixedLengthStream of that length,
 * in one `put` (known-length-upload.ts). Without one, the bytes pass through a checker that
 * counts them (refusing past the kind's limit), checks the first bytes against the declared type
 * and hashes them, and are cut into PART_BYTES parts of a multipart upload (R2 wants every part
 * but the last the same size, at least 5 MiB), so at most one part is held at a time; a body
 * that fits in one part is one `put`. Any refusal or failure errors the stream, so the put fails
 * or the multipart upload is aborted: nothing is stored.
 */
import {
  AppError,
  InvalidParamsError,
  PayloadTooLargeError,
  StorageError,
} from "../../shared/errors.ts";
import { type MediaKind, SIGNATURE_BYTES, startsAs } from "../../shared/media/kinds.ts";
import { storeKnownLength } from "./known-length-upload.ts";
import { concatBytes, toHex } from "../../shared/bytes.ts";

/** workerd's streaming hash (the Crypto type `deno check` uses lacks it; workerd has it). */
const Digest = (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream;

/** Bytes per multipart part when the length is unknown. */
export const PART_BYTES = 5 * 1024 * 1024;

/** What an upload must be. */
export interface UploadRules {
  kind: MediaKind;
  mime: string;
  maxBytes: number;
}

/** What was stored. */
export interface StoredBytes {
  size: number;
  sha256: string;
}

/**
 * The body counted, checked and hashed as it is read; `refusal` says why it errored. It reads
 * the body itself (no pipe), so every read's failure is its own to handle — a client that goes
 * away mid-upload is a failed upload, not an unhandled rejection.
 */
class CheckedBytes {
  size = 0;
  refusal: Error | undefined;
  private start: Uint8Array | null = new Uint8Array(0);
  private readonly digest = new Digest("SHA-256");
  private readonly hasher = this.digest.getWriter();
  readonly stream: ReadableStream<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>, private readonly rules: UploadRules) {
    const reader = body.getReader();
    const stop = (reason: unknown) => reader.cancel(reason).catch(() => {});
    this.stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const { done, value: chunk } = await reader.read();
        const refusal = done ? this.checkEnd() : this.checkChunk(chunk);
        if (refusal) {
          this.refusal ??= refusal;
          controller.error(refusal);
          await stop(refusal);
        } else if (done) {
          await this.hasher.close();
          controller.close();
        } else {
          await this.hasher.write(chunk);
          controller.enqueue(chunk);
        }
      },
      cancel: stop,
    });
  }

  /** Why the upload is refused after `chunk`, if it is. */
  private checkChunk(chunk: Uint8Array): Error | undefined {
    const { kind, maxBytes } = this.rules;
    this.size += chunk.byteLength;
    if (this.size > maxBytes) {
      return new PayloadTooLargeError(`a ${kind} is at most ${maxBytes} bytes`);
    }
    if (this.start) {
      this.start = concatBytes([this.start, chunk.subarray(0, SIGNATURE_BYTES)]);
      if (this.start.byteLength >= SIGNATURE_BYTES) return this.checkStart();
    }
    return undefined;
  }

  /** Why the upload is refused once the body ended, if it is. */
  private checkEnd(): Error | undefined {
    if (this.size === 0) return new InvalidParamsError("body: the upload is empty");
    return this.start ? this.checkStart() : undefined;
  }

  async sha256(): Promise<string> {
    return toHex(await this.digest.digest);
  }

  /** Checks the first bytes, once. */
  private checkStart(): Error | undefined {
    const { kind, mime } = this.rules;
    const matches = kind === "file" || startsAs(mime, this.start!);
    this.start = null;
    return matches
      ? undefined
      : new InvalidParamsError(`body: the first bytes are not those of ${mime}`);
  }
}

/**
 * Stores `body` at `key` under `rules`; `declaredLength` is the request's Content-Length, when
 * it has one (already checked against the limit). Throws the refusal (413, 400) or a
 * StorageError, having stored nothing.
 */
export async function storeUpload(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array> | null,
  declaredLength: number | undefined,
  rules: UploadRules,
): Promise<StoredBytes> {
  if (!body || declaredLength === 0) throw new InvalidParamsError("body: the upload is empty");
  const options: R2PutOptions = { httpMetadata: { contentType: rules.mime } };
  if (declaredLength !== undefined) {
    try {
      return await storeKnownLength(bucket, key, body, declaredLength, rules, options);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The runtime's own pipes failed: mostly a body that ended before its Content-Length.
      console.warn(`media upload ${key} failed:`, error);
      throw new InvalidParamsError("body: shorter or longer than its Content-Length");
    }
  }
  const checked = new CheckedBytes(body, rules);
  try {
    await putInParts(bucket, key, checked.stream, options);
  } catch (error) {
    if (checked.refusal) throw checked.refusal;
    console.warn(`media upload ${key} failed:`, error);
    throw new StorageError("the upload could not be stored, try again");
  }
  return { size: checked.size, sha256: await checked.sha256() };
}

async function putInParts(
  bucket: R2Bucket,
  key: string,
  bytes: ReadableStream<Uint8Array>,
  options: R2PutOptions,
): Promise<void> {
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of bytes) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      while (pendingBytes >= PART_BYTES) {
        const joined = concatBytes(pending);
        upload ??= await bucket.createMultipartUpload(key, options);
        parts.push(await upload.uploadPart(parts.length + 1, joined.subarray(0, PART_BYTES)));
        pending = [joined.subarray(PART_BYTES)];
        pendingBytes -= PART_BYTES;
      }
    }
    const rest = concatBytes(pending);
    if (!upload) {
      await bucket.put(key, rest, options);
      return;
    }
    if (rest.byteLength > 0) parts.push(await upload.uploadPart(parts.length + 1, rest));
    await upload.complete(parts);
  } catch (error) {
    await upload?.abort().catch(() => {});
    throw error;
  }
}
