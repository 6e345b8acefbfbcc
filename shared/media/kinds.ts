/**
 * The three kinds of media (CONTRACT §11): which types each accepts, its size limit, the message
 * type that carries it, and the first bytes an image or voice note of each type starts with.
 */
import { MEDIA_MAX_BYTES } from "../limits.ts";

export const MEDIA_KINDS = ["image", "file", "voice"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The `mType` of a message that carries each kind (3 stays custom JSON). */
export const MEDIA_M_TYPE = { image: 1, file: 2, voice: 4 } as const satisfies Record<
  MediaKind,
  number
>;

/** What a file's bytes are served as: never a type a browser would render or run. */
export const FILE_SERVED_TYPE = "application/octet-stream";

type Signature = readonly (number | null)[];
const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));
/** Any byte. */
const ANY = null;

/**
 * The accepted types of images and voice notes and their signatures (null: any byte there). A
 * file may be of any type; it is never served as one.
 */
const SIGNATURES: Readonly<Record<string, { kind: MediaKind; starts: Signature }>> = {
  "image/jpeg": { kind: "image", starts: [0xff, 0xd8, 0xff] },
  "image/png": { kind: "image", starts: [0x89, 0x50, 0x4e, 0x47] },
  "image/gif": { kind: "image", starts: ascii("GIF8") },
  "image/webp": { kind: "image", starts: [...ascii("RIFF"), ANY, ANY, ANY, ANY, ...ascii("WEBP")] },
  "audio/webm": { kind: "voice", starts: [0x1a, 0x45, 0xdf, 0xa3] },
  "audio/ogg": { kind: "voice", starts: ascii("OggS") },
  "audio/mp4": { kind: "voice", starts: [ANY, ANY, ANY, ANY, ...ascii("ftyp")] },
};

/** Bytes an upload's start must hold before its type can be checked. */
export const SIGNATURE_BYTES = 12;

/** The accepted types of `kind`, for messages; a file takes any. */
export function typesOf(kind: MediaKind): string[] {
  return Object.entries(SIGNATURES).filter(([, type]) => type.kind === kind).map(([mime]) => mime);
}

/** The largest upload of `kind`. */
export function maxBytesOf(kind: MediaKind): number {
  return MEDIA_MAX_BYTES[kind];
}

/**
 * The media type as stored, from a declared `Content-Type` (parameters such as `;codecs=opus`
 * dropped, lower case), or why it is refused for `kind`.
 */
export function acceptedType(kind: MediaKind, contentType: string | undefined):
  | { ok: true; mime: string }
  | { ok: false; reason: string } {
  const mime = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (kind === "file") {
    if (mime === "") return { ok: true, mime: FILE_SERVED_TYPE };
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mime) || mime.length > 127) {
      return { ok: false, reason: "Content-Type: not a media type" };
    }
    return { ok: true, mime };
  }
  if (SIGNATURES[mime]?.kind !== kind) {
    return { ok: false, reason: `Content-Type: a ${kind} is one of ${typesOf(kind).join(", ")}` };
  }
  return { ok: true, mime };
}

/**
 * True when `start` (the upload's first bytes, at least SIGNATURE_BYTES unless the upload is
 * shorter) begins as a `mime` should. Types without a signature (files) always match.
 */
export function startsAs(mime: string, start: Uint8Array): boolean {
  const signature = SIGNATURES[mime];
  if (!signature) return true;
  if (start.length < signature.starts.length) return false;
  return signature.starts.every((byte, index) => byte === ANY || start[index] === byte);
}
