/**
 * A Web Push endpoint on localhost, as a push service would be (Node, outside workerd): it makes
 * device subscriptions (a P-256 key pair and an auth secret per device, as a browser does),
 * checks each push's VAPID JWT (RFC 8292: ES256 signature by the key in `k`, `aud` the
 * endpoint's origin, `exp` within 24 h, `sub` a mailto: or https: contact) and decrypts its
 * `aes128gcm` body (RFC 8291) with the device's private key — written here with node:crypto, not
 * with the library the server uses. A test plans its answers (e.g. 503 with Retry-After, 410).
 *
 * Control API (JSON): POST /subscriptions → {endpoint, keys}; POST /plan/:id {responses};
 * GET /pushes/:id → what arrived, decrypted; POST /push/:id is the endpoint itself.
 */
import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  type ECDH,
  randomBytes,
  verify,
} from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import process from "node:process";

/** One push as the receiver got it. */
export interface ReceivedPush {
  at: number;
  /** What the receiver answered. */
  status: number;
  headers: { ttl?: string; urgency?: string; topic?: string; encoding?: string };
  vapid?: { aud: string; sub: string; exp: number; key: string };
  /** The decrypted payload, parsed. */
  payload?: unknown;
  /** Why the push was refused: a bad signature, claim or encryption. */
  error?: string;
}

interface Device {
  ecdh: ECDH;
  auth: Buffer;
  pushes: ReceivedPush[];
  plan: { status: number; retryAfter?: string }[];
}

const b64u = (bytes: Buffer) => bytes.toString("base64url");

export function startReceiver(): Promise<{ url: string; server: Server }> {
  const devices = new Map<string, Device>();
  let origin = "";
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "Content-Type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    try {
      const body = await readBody(request);
      const [, route, id] = (request.url ?? "").split("/");
      if (request.method === "POST" && route === "subscriptions") {
        const ecdh = createECDH("prime256v1");
        ecdh.generateKeys();
        const deviceId = crypto.randomUUID();
        devices.set(deviceId, { ecdh, auth: randomBytes(16), pushes: [], plan: [] });
        const device = devices.get(deviceId)!;
        return answer(200, {
          endpoint: `${origin}/push/${deviceId}`,
          keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(device.auth) },
        });
      }
      const device = devices.get(id ?? "");
      if (!device) return answer(404, { error: "no such device" });
      if (request.method === "POST" && route === "plan") {
        device.plan.push(...JSON.parse(body.toString()).responses);
        return answer(200, {});
      }
      if (request.method === "GET" && route === "pushes") return answer(200, device.pushes);
      if (request.method === "POST" && route === "push") {
        const push = receive(device, request, body, origin.replace(/^http:/, "https:"));
        const planned = push.error ? { status: 400 } : device.plan.shift() ?? { status: 201 };
        push.status = planned.status;
        device.pushes.push(push);
        // `PUSH_TRANSCRIPT=1`: each push as the endpoint saw it, decrypted.
        if (process.env.PUSH_TRANSCRIPT === "1") transcribe(request, body, push);
        const headers: Record<string, string> = planned.retryAfter
          ? { "Retry-After": planned.retryAfter }
          : {};
        return answer(planned.status, push.error ? { error: push.error } : {}, headers);
      }
      answer(404, { error: "no such route" });
    } catch (error) {
      answer(500, { error: String(error) });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      origin = `http://127.0.0.1:${address.port}`;
      resolve({ url: origin, server });
    });
  });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Checks and decrypts one push; `audience` is the origin the JWT must be for. */
function receive(
  device: Device,
  request: IncomingMessage,
  body: Buffer,
  audience: string,
): ReceivedPush {
  const header = (name: string) => request.headers[name] as string | undefined;
  const push: ReceivedPush = {
    at: Date.now(),
    status: 0,
    headers: {
      ttl: header("ttl"),
      urgency: header("urgency"),
      topic: header("topic"),
      encoding: header("content-encoding"),
    },
  };
  try {
    push.vapid = checkVapid(header("authorization") ?? "", audience);
    if (push.headers.encoding !== "aes128gcm") throw new Error("not aes128gcm");
    push.payload = JSON.parse(decryptAes128gcm(device, body).toString("utf8"));
  } catch (error) {
    push.error = error instanceof Error ? error.message : String(error);
  }
  return push;
}

/** RFC 8292 §3: `vapid t=<JWT>, k=<key>`; the JWT signed with ES256 by `k`. */
function checkVapid(authorization: string, audience: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) throw new Error(`bad Authorization: ${authorization}`);
  const [, jwt, key] = match as unknown as [string, string, string];
  const [head, claims, signature] = jwt.split(".") as [string, string, string];
  const point = Buffer.from(key, "base64url");
  if (point.length !== 65 || point[0] !== 4) throw new Error("k is not a P-256 point");
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: b64u(point.subarray(1, 33)),
      y: b64u(point.subarray(33)),
    },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!signed) throw new Error("VAPID signature does not verify");
  if (JSON.parse(Buffer.from(head, "base64url").toString()).alg !== "ES256") {
    throw new Error("VAPID alg is not ES256");
  }
  const { aud, exp, sub } = JSON.parse(Buffer.from(claims, "base64url").toString());
  if (aud !== audience) throw new Error(`aud ${aud} is not ${audience}`);
  const now = Date.now() / 1000;
  if (!(exp > now && exp <= now + 24 * 3600)) throw new Error(`exp ${exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(sub)) throw new Error(`sub ${sub} is not a contact`);
  return { aud, exp, sub, key };
}

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 §3.4 and RFC 8188: the content encryption key and nonce, then AES-128-GCM. */
function decryptAes128gcm(device: Device, body: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  if (records.length > recordSize) throw new Error("more than one record");
  const ecdhSecret = device.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([
    Buffer.from("WebPush: info\0"),
    device.ecdh.getPublicKey(),
    senderKey,
  ]);
  const ikm = hmac(hmac(device.auth, ecdhSecret), Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([
    decipher.update(records.subarray(0, records.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 2, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end);
}

function transcribe(request: IncomingMessage, body: Buffer, push: ReceivedPush): void {
  const lines = [
    `POST ${request.url} (${body.length} bytes, aes128gcm)`,
    ...["ttl", "urgency", "topic", "content-encoding"].map((h) => `  ${h}: ${request.headers[h]}`),
    `  authorization: ${request.headers.authorization?.slice(0, 60)}…`,
    `  VAPID claims: ${JSON.stringify(push.vapid && { ...push.vapid, key: undefined })}`,
    `  decrypted: ${JSON.stringify(push.payload)}`,
    `  error: ${push.error ?? "none"}; answered ${push.status}`,
  ];
  console.log(`push receiver:\n${lines.join("\n")}`);
}
