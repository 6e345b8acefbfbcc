/**
 * Web Push as clients and the push routes see it (CONTRACT §12): the subscription a browser
 * hands over, the rows listed back, and the payloads a service worker receives. Endpoints are
 * checked against the push services' hosts (push-endpoint.ts) where they enter.
 */
import { z } from "@hono/zod-openapi";
import { MAX_PUSH_ENDPOINT_CHARS } from "../limits.ts";

/** Unpadded base64url, as PushSubscription.toJSON() gives the keys. */
const base64url = (bytes: number) =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, "must be unpadded base64url").length(
    Math.ceil((bytes * 4) / 3),
    `must encode ${bytes} bytes`,
  );

const endpointSchema = z.string().max(MAX_PUSH_ENDPOINT_CHARS).url()
  .openapi({ description: "the push service's URL for this device (PushSubscription.endpoint)" });

/** `POST /v1/push/subscription`: what `PushSubscription.toJSON()` gives (expirationTime ignored). */
export const pushSubscriptionBodySchema = z.object({
  endpoint: endpointSchema,
  keys: z.object({
    p256dh: base64url(65).openapi({ description: "the browser's P-256 public key (uncompressed)" }),
    auth: base64url(16).openapi({ description: "the 16-byte authentication secret" }),
  }),
}).openapi("PushSubscriptionBody");

export const pushEndpointBodySchema = z.object({ endpoint: endpointSchema })
  .openapi("PushEndpointBody");

/** A stored subscription as its owner sees it (the keys stay on the server). */
export const pushSubscriptionSchema = z.object({
  id: z.string(),
  endpoint: z.string(),
  createdAt: z.number().int().openapi({ description: "Unix milliseconds" }),
}).openapi("PushSubscription");

export const vapidKeySchema = z.object({
  vapidPublicKey: z.string().openapi({
    description: "applicationServerKey for PushManager.subscribe (base64url, 65 bytes)",
  }),
});

export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBodySchema>;
export type PushSubscriptionRow = z.infer<typeof pushSubscriptionSchema>;

/** The payload of a push about new messages (decrypted by the service worker). */
export interface MessagePushPayload {
  type: "message";
  conversationId: string;
  chatType: number;
  sendId: string;
  senderName: string;
  /** The newest message's first 100 characters ("[image]" … for media). */
  preview: string;
  /** The newest message's seq. */
  seq: number;
  /** How many messages this push stands for (more than 1 after a quiet 30 s window). */
  count: number;
  /** The conversation's unread count for the user. */
  unread: number;
}

/** The push that replaces a pushed message that was recalled (same Topic). */
export interface RecallPushPayload {
  type: "recall";
  conversationId: string;
  seq: number;
}

export type PushPayload = MessagePushPayload | RecallPushPayload;
