/**
 * Push test helpers: a device is a subscription made by the tests' receiver (receiver.ts, a real
 * Web Push endpoint on 127.0.0.1) and registered for a user through the real route.
 */
import { expect, inject, vi } from "vitest";
import { api, type TestUser } from "../helpers/http.ts";
import type { ReceivedPush } from "./receiver.ts";

export const receiverUrl = () => inject("pushReceiver");

/** The window the tests run with (vitest.config.ts `PUSH_COALESCE_SECONDS`). */
export const COALESCE_MS = 3_000;

export interface Device {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A new device of the receiver, not registered with the server. */
export async function newDevice(): Promise<Device> {
  const made = await (await fetch(`${receiverUrl()}/subscriptions`, { method: "POST" })).json<
    Omit<Device, "id">
  >();
  return { ...made, id: made.endpoint.split("/").at(-1)! };
}

/** A new device subscribed for `user` through `POST /v1/push/subscription`. */
export async function subscribedDevice(user: TestUser): Promise<Device> {
  const device = await newDevice();
  const answer = await api("POST", "/v1/push/subscription", {
    token: user.token,
    body: { endpoint: device.endpoint, keys: device.keys },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return device;
}

/** What the device's endpoint answers to its next pushes (then 201 again). */
export async function planAnswers(
  device: Device,
  responses: { status: number; retryAfter?: string }[],
): Promise<void> {
  await fetch(`${receiverUrl()}/plan/${device.id}`, {
    method: "POST",
    body: JSON.stringify({ responses }),
  });
}

/** Every push the device's endpoint got so far, checked and decrypted. */
export async function pushesTo(device: Device): Promise<ReceivedPush[]> {
  return await (await fetch(`${receiverUrl()}/pushes/${device.id}`)).json<ReceivedPush[]>();
}

/** Waits until the device got `count` pushes; none of them refused by the receiver. */
export async function waitForPushes(
  device: Device,
  count: number,
  timeout = 5_000,
): Promise<ReceivedPush[]> {
  let pushes: ReceivedPush[] = [];
  await vi.waitFor(async () => {
    pushes = await pushesTo(device);
    expect(pushes.length).toBeGreaterThanOrEqual(count);
  }, { timeout, interval: 50 });
  for (const push of pushes) expect(push.error).toBeUndefined();
  return pushes;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `PUT /v1/im/conversation` with one conversation's settings; expects 200. */
export async function setConversation(
  user: TestUser,
  conversationId: string,
  settings: Record<string, unknown>,
): Promise<void> {
  const answer = await api("PUT", "/v1/im/conversation", {
    token: user.token,
    body: { conversationList: { [conversationId]: settings } },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}
