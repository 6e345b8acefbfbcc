/**
 * One Web Push request (RFC 8030) to a push service: the payload encrypted with `aes128gcm`
 * (RFC 8291) for the device's keys and signed with the server's VAPID key (RFC 8292) by
 * `@block65/webcrypto-web-push`, then what the service's answer means for the queue.
 */
import { buildPushPayload } from "@block65/webcrypto-web-push";
import { PUSH_RETRY_FOR_MS } from "../../shared/limits.ts";
import { isLoopback } from "../../shared/push/push-endpoint.ts";
import type { PushPayload } from "../../shared/push/schemas.ts";
import { pushTopicOf } from "./payloads.ts";
import type { SendPushMessage } from "./queue-messages.ts";

/** A push is kept by the push service this long for a device that is offline (a day). */
export const PUSH_TTL_SECONDS = 86_400;
/** The longest delay a Queue message can be retried with (Cloudflare Queues: 12 h). */
const MAX_QUEUE_DELAY_SECONDS = 43_200;

/** What the push service's answer means. */
export type PushOutcome =
  | { kind: "sent"; status: number }
  /** 404/410: the subscription is gone; it is removed. */
  | { kind: "gone"; status: number }
  /** 429, 5xx or no answer: tried again after `delaySeconds`. */
  | { kind: "retry"; status: number; delaySeconds: number }
  /** Retrying would pass 24 h since it was enqueued. */
  | { kind: "expired"; status: number }
  /** Any other answer (a 400 or 413 will not get better by trying again). */
  | { kind: "refused"; status: number };

/** Sends `message` (with `payload` as it goes out) and says what came of it. */
export async function sendPush(
  env: Env,
  message: SendPushMessage,
  payload: PushPayload,
  attempts: number,
): Promise<PushOutcome> {
  const { endpoint, p256dh, auth } = message.subscription;
  const target = new URL(endpoint);
  // The library signs and encrypts for https endpoints only (RFC 8030); a loopback endpoint in
  // development is signed for its https form and sent to the URL it gave.
  const loopback = env.PUSH_ALLOW_LOOPBACK === "true" && isLoopback(target);
  const signedFor = loopback ? endpoint.replace(/^http:/, "https:") : endpoint;
  const request = await buildPushPayload(
    {
      data: JSON.stringify(payload),
      options: {
        ttl: PUSH_TTL_SECONDS,
        urgency: message.urgency,
        topic: await pushTopicOf(payload.conversationId),
      },
    },
    { endpoint: signedFor, expirationTime: null, keys: { p256dh, auth } },
    {
      subject: env.VAPID_SUBJECT,
      publicKey: env.VAPID_PUBLIC_KEY,
      privateKey: env.VAPID_PRIVATE_KEY,
    },
  );
  let response: Response | null = null;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    await response.body?.cancel();
  } catch (error) {
    console.warn(`push to ${target.host} failed to connect:`, error);
  }
  const status = response?.status ?? 0;
  if (status >= 200 && status < 300) return { kind: "sent", status };
  if (status === 404 || status === 410) return { kind: "gone", status };
  if (response && status !== 429 && status < 500) return { kind: "refused", status };
  const delaySeconds = retryAfterSeconds(response, attempts);
  if (Date.now() + delaySeconds * 1_000 > message.enqueuedAt + PUSH_RETRY_FOR_MS) {
    return { kind: "expired", status };
  }
  return { kind: "retry", status, delaySeconds };
}

/**
 * The service's Retry-After (seconds or a date) when it gave one; else 10 s, 20 s, 40 s …
 * capped at an hour. Never beyond what a Queue retry allows.
 */
export function retryAfterSeconds(response: Response | null, attempts: number): number {
  const header = response?.headers.get("Retry-After") ?? null;
  let seconds = 10 * 2 ** Math.min(Math.max(attempts - 1, 0), 9);
  seconds = Math.min(seconds, 3_600);
  if (header !== null) {
    const given = /^\d+$/.test(header.trim())
      ? Number(header)
      : (Date.parse(header) - Date.now()) / 1_000;
    if (Number.isFinite(given)) seconds = Math.max(0, Math.ceil(given));
  }
  return Math.min(seconds, MAX_QUEUE_DELAY_SECONDS);
}
