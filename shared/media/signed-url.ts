/**
 * Signed media URLs (CONTRACT §11): `?exp=<Unix ms>&sig=<hex HMAC-SHA256 of "<mediaId>.<exp>">`,
 * so an `<img>` or `<audio>` can fetch the bytes without a token until `exp`.
 *
 * The HMAC key is derived from JWT_SECRET (HMAC of it over a fixed label), so a deployment has
 * no second secret to manage, and a media signature and a token signature never share a key.
 * Rotating JWT_SECRET ends every signed URL with every token.
 */
import { toHex } from "../bytes.ts";

const KEY_LABEL = "easy-chat media url v1";
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** The media key derived from `secret` (made once per isolate and secret). */
function mediaKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = hmacKey(encoder.encode(secret))
      .then((root) => crypto.subtle.sign("HMAC", root, encoder.encode(KEY_LABEL)))
      .then(hmacKey);
    keys.set(secret, key);
  }
  return key;
}

/** The signature of `mediaId` until `expires`. */
export async function signMedia(secret: string, mediaId: string, expires: number): Promise<string> {
  const signed = await crypto.subtle.sign(
    "HMAC",
    await mediaKey(secret),
    encoder.encode(`${mediaId}.${expires}`),
  );
  return toHex(signed);
}

/** True when `sig` is the signature of `mediaId` until `expires` (compared in constant time). */
export async function verifyMediaSignature(
  secret: string,
  mediaId: string,
  expires: number,
  sig: string,
): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(sig)) return false;
  const bytes = new Uint8Array(sig.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return await crypto.subtle.verify(
    "HMAC",
    await mediaKey(secret),
    bytes,
    encoder.encode(`${mediaId}.${expires}`),
  );
}
