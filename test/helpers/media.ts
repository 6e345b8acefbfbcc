/** Media test helpers (CONTRACT §11): real uploads into the Worker's R2 binding, sends, reads. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { api, type ApiAnswer, type TestUser } from "./http.ts";

// deno-lint-ignore no-explicit-any -- JSON answers as the API gives them
type Json = any;

/** The first bytes of each accepted type, padded with `size - signature` bytes of filler. */
const SIGNATURES: Record<string, number[]> = {
  "image/jpeg": [0xff, 0xd8, 0xff, 0xe0],
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/gif": [...new TextEncoder().encode("GIF89a")],
  "image/webp": [...new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ")],
  "audio/webm": [0x1a, 0x45, 0xdf, 0xa3],
  "audio/ogg": [...new TextEncoder().encode("OggS")],
  "audio/mp4": [0, 0, 0, 0x20, ...new TextEncoder().encode("ftypM4A ")],
};

/** `size` bytes that start as `mime` does (any bytes for other types), the rest varied. */
export function bytesOf(mime: string, size = 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  bytes.set((SIGNATURES[mime] ?? []).slice(0, size));
  return bytes;
}

export interface UploadOptions {
  kind: "image" | "file" | "voice";
  mime?: string;
  name?: string;
  /** false: the body is a stream of unknown length (no Content-Length). */
  withLength?: boolean;
}

/** A body that does not say its length: the bytes in a few chunks of a stream. */
export function streamOf(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/** POST /v1/media as `user`; the raw answer. */
export async function upload(
  user: TestUser,
  conversationId: string,
  bytes: Uint8Array,
  options: UploadOptions,
): Promise<ApiAnswer<Json>> {
  const headers = new Headers({ Authorization: `Bearer ${user.token}` });
  if (options.mime !== undefined) headers.set("Content-Type", options.mime);
  if (options.name !== undefined) headers.set("X-File-Name", encodeURIComponent(options.name));
  const withLength = options.withLength ?? true;
  if (withLength) headers.set("Content-Length", String(bytes.byteLength));
  const query = new URLSearchParams({ conversationId, kind: options.kind });
  const response = await exports.default.fetch(
    new Request(`https://chat.test/v1/media?${query}`, {
      method: "POST",
      headers,
      body: withLength ? bytes : streamOf(bytes),
    }),
  );
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Uploads and expects 200; returns the Media. */
export async function uploaded(
  user: TestUser,
  conversationId: string,
  bytes: Uint8Array,
  options: UploadOptions,
): Promise<Json> {
  const answer = await upload(user, conversationId, bytes, options);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/** POST /v1/im/chat carrying `media`; the raw answer. */
export function sendMedia(
  from: TestUser,
  recvId: string,
  mType: number,
  media: Record<string, unknown>,
  content = "",
  chatType = 2,
) {
  return api("POST", "/v1/im/chat", {
    token: from.token,
    body: { chatType, recvId, msg: { mType, content, media }, clientMsgId: crypto.randomUUID() },
  });
}

/** A fetched answer as the envelope helpers take it. */
export async function answerOf(response: Response): Promise<ApiAnswer> {
  const body = await response.json() as ApiAnswer["body"];
  return { status: response.status, headers: response.headers, body };
}

/** GET of a media path (with the token when given, and extra headers); the raw Response. */
export function fetchMedia(
  path: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const all = new Headers(headers);
  if (token) all.set("Authorization", `Bearer ${token}`);
  const url = path.startsWith("http") ? path : `https://chat.test${path}`;
  return exports.default.fetch(new Request(url, { headers: all }));
}

/** The bytes R2 holds under `mediaId`, or null. */
export async function storedBytes(mediaId: string): Promise<Uint8Array | null> {
  const object = await env.MEDIA.get(mediaId);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

/** How many objects the bucket holds (R2 lists up to 1000 at once). */
export async function bucketCount(): Promise<number> {
  return (await env.MEDIA.list()).objects.length;
}

/** Hex SHA-256 of `bytes`. */
export async function sha256Of(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A file upload whose body sends its first bytes and then waits; `fail()` breaks it off. */
export function hangingUpload(user: TestUser, conversationId: string, declared: number) {
  let failBody: (error: Error) => void = () => {};
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls += 1;
      if (pulls === 1) return controller.enqueue(bytesOf("application/zip", 1024));
      return new Promise<void>((resolve) => {
        failBody = (error) => {
          controller.error(error);
          resolve();
        };
      });
    },
  });
  const query = new URLSearchParams({ conversationId, kind: "file" });
  const answer = exports.default.fetch(
    new Request(`https://chat.test/v1/media?${query}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${user.token}`,
        "Content-Type": "application/zip",
        "Content-Length": String(declared),
      },
      body,
    }),
  );
  return { answer, fail: () => failBody(new Error("client went away")) };
}
