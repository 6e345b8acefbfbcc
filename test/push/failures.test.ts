// What the push service answers, and what a recall or a stranger does (CONTRACT §12): a recall
// of the pushed message sends the push that replaces it (same Topic); 404/410 removes the
// subscription; 429/5xx is retried after the service's Retry-After; a stranger's message is
// refused before anything is stored or pushed.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { hasTable } from "../../workers/storage-tables.ts";
import { friendsPair, sendText } from "../helpers/chat.ts";
import { api, expectRefusal } from "../helpers/http.ts";
import { recall } from "../helpers/lifecycle.ts";
import { quickUser } from "../helpers/social.ts";
import { PUSH_RETRY_FOR_MS } from "../../shared/limits.ts";
import type { PushQueueMessage } from "../../workers/push/queue-messages.ts";
import {
  newDevice,
  pause,
  planAnswers,
  pushesTo,
  subscribedDevice,
  waitForPushes,
} from "./devices.ts";

const subscriptionsOf = async (user: { token: string }) =>
  (await api("GET", "/v1/push/subscriptions", { token: user.token })).body.data.list;

describe("a recall of the pushed message", () => {
  it("sends the push that replaces it, under the same Topic", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const device = await subscribedDevice(bob);
    const sent = await sendText(alice, bob.id, "oops, wrong chat");
    const [pushed] = await waitForPushes(device, 1);
    expect((await recall(alice, conversationId, sent.msgId)).status).toBe(200);
    const [, replacing] = await waitForPushes(device, 2);
    expect(replacing!.payload).toEqual({ type: "recall", conversationId, seq: 1 });
    expect(replacing!.headers.topic).toBe(pushed!.headers.topic);
  });

  it("of a message that was not pushed sends nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const device = await subscribedDevice(bob);
    await sendText(alice, bob.id, "pushed");
    await waitForPushes(device, 1);
    const second = await sendText(alice, bob.id, "inside the window, not pushed yet");
    expect((await recall(alice, conversationId, second.msgId)).status).toBe(200);
    await pause(1_500);
    expect((await pushesTo(device)).map((push) => push.payload)).toMatchObject([
      { type: "message", seq: 1 },
    ]);
  });
});

describe("the push service's answer", { timeout: 20_000 }, () => {
  it("410 Gone removes that subscription, and only that one", async () => {
    const { alice, bob } = await friendsPair();
    const gone = await subscribedDevice(bob);
    const kept = await subscribedDevice(bob);
    await planAnswers(gone, [{ status: 410 }]);
    await sendText(alice, bob.id, "anyone there?");
    await waitForPushes(kept, 1);
    const [refused] = await waitForPushes(gone, 1);
    expect(refused!.status).toBe(410);
    await expect.poll(() => subscriptionsOf(bob)).toEqual([
      expect.objectContaining({ endpoint: kept.endpoint }),
    ]);
  });

  it("503 with Retry-After is tried again after that many seconds", async () => {
    const { alice, bob } = await friendsPair();
    const device = await subscribedDevice(bob);
    await planAnswers(device, [{ status: 503, retryAfter: "2" }]);
    await sendText(alice, bob.id, "try again");
    const [first, second] = await waitForPushes(device, 2, 10_000);
    expect(first!.status).toBe(503);
    expect(second!.status).toBe(201);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
    expect(second!.payload).toEqual(first!.payload);
    expect(await subscriptionsOf(bob)).toHaveLength(1);
  });
});

describe("every push outcome", () => {
  it("is one structured log line: retried, then sent", async () => {
    const logged = vi.spyOn(console, "log");
    const { alice, bob } = await friendsPair();
    const device = await subscribedDevice(bob);
    await planAnswers(device, [{ status: 429, retryAfter: "1" }]);
    await sendText(alice, bob.id, "count me");
    await waitForPushes(device, 2);
    const outcomes = () =>
      logged.mock.calls.flatMap(([line]) =>
        typeof line === "string" && line.startsWith('{"push"') ? [JSON.parse(line)] : []
      );
    await expect.poll(outcomes).toEqual([
      { push: "retry", status: 429, attempts: 1 },
      { push: "sent", status: 201, attempts: 2 },
    ]);
    logged.mockRestore();
  });
});

describe("a push that keeps failing", () => {
  it("is given up once a retry would pass 24 h after it was enqueued", async () => {
    const device = await newDevice();
    await planAnswers(device, [{ status: 503, retryAfter: "1" }, { status: 503 }]);
    const { p256dh, auth } = device.keys;
    const message: PushQueueMessage = {
      kind: "send",
      userId: "nobody",
      subscription: { endpoint: device.endpoint, p256dh, auth },
      payload: { type: "recall", conversationId: "a_b", seq: 1 },
      urgency: "normal",
      // Enqueued almost a day ago: the retry in 1 s would end past the day.
      enqueuedAt: Date.now() - PUSH_RETRY_FOR_MS + 500,
    };
    await env.PUSH_QUEUE.send(message);
    const [first] = await waitForPushes(device, 1);
    expect(first!.status).toBe(503);
    await pause(2_500);
    expect(await pushesTo(device)).toHaveLength(1);
  });
});

describe("strangers", () => {
  it("cannot make a user's session store or push anything", async () => {
    const bob = await quickUser("Bob");
    const stranger = await quickUser("Stranger");
    const device = await subscribedDevice(bob);
    const answer = await api("POST", "/v1/im/chat", {
      token: stranger.token,
      body: { chatType: 2, recvId: bob.id, msg: { mType: 0, content: "hi" }, clientMsgId: "s1" },
    });
    expectRefusal(answer, 403, 100006);
    await pause(1_500);
    expect(await pushesTo(device)).toEqual([]);
    const stored = await runInDurableObject(
      env.USER_SESSION.getByName(bob.id),
      (_instance, state) => hasTable(state.storage.sql, "push_windows"),
    );
    expect(stored).toBe(false);
  });
});
