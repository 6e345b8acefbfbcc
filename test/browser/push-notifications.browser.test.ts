/**
 * The web app's notifications in Chromium against the real service (docs/push.md): nothing is
 * asked or registered on load; the service worker shows a `push` event it is given as a
 * notification (sender, preview, count), a recall replaces it, and a click opens the
 * conversation in the app. The push events are dispatched in the worker: no push service is
 * reachable here (the workers tests send real pushes to a real endpoint). Mute and pin are in
 * the chat's header, and a pinned conversation is listed first.
 */
import type { Page, Worker } from "playwright-core";
import { describe, expect, it } from "vitest";
import { askFriend, expectTexts, freshPhone, register, screenshot, tab } from "./pages.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();

// deno-lint-ignore no-explicit-any -- the page's and the worker's globals (no DOM types here)
type Json = any;

/** `path` on the service as `token`'s user; the envelope's data. */
async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${suite.url()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer: Json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`);
  return answer.data;
}

/** A user registered over HTTP: their id and token. */
async function registerOverHttp(phone: string, nickname: string) {
  const response = await fetch(`${suite.url()}/v1/user/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ phone, password: "secret-pass", nickname }),
  });
  const { token } = ((await response.json()) as Json).data;
  const { info } = await call("GET", "/v1/user/user", token);
  return { id: info.id as string, token: token as string };
}

/** Alice (in the page) has a chat with each of `names`, who each wrote to her. */
async function aliceWithChats(page: Page, names: string[]) {
  await register(page, suite.url(), freshPhone(), "Alice");
  const others = [];
  for (const name of names) {
    const phone = freshPhone();
    const other = await registerOverHttp(phone, name);
    await askFriend(page, phone);
    // Leaving the tab clears its "Request sent." for the next one.
    await tab(page, "Chats");
    let request: Json;
    await expect.poll(async () => {
      request = (await call("GET", "/v1/social/friend/putIns", other.token)).list[0];
      return request;
    }).toBeDefined();
    await call("PUT", "/v1/social/friend/putIn", other.token, {
      friendReqId: request.id,
      handleResult: 2,
    });
    const me = await call("GET", "/v1/user/user", other.token);
    others.push({ ...other, name, me });
  }
  await tab(page, "Chats");
  return others;
}

/** The signed-in user's id, read with the page's own token. */
function idOfPageUser(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const token = (globalThis as Json).localStorage.getItem("easy-chat.token");
    const me = await fetch("/v1/user/user", { headers: { Authorization: `Bearer ${token}` } });
    return ((await me.json()) as Json).data.info.id as string;
  });
}

async function serviceWorkerOf(page: Page): Promise<Worker> {
  const context = page.context();
  const registered = context.waitForEvent("serviceworker");
  await page.evaluate(() =>
    (globalThis as Json).navigator.serviceWorker.register("/sw.js").then(() => {})
  );
  return context.serviceWorkers()[0] ?? await registered;
}

/** Dispatches a `push` event with `payload` in the worker, as the push service would. */
function dispatchPush(worker: Worker, payload: unknown) {
  return worker.evaluate((data) => {
    const self = globalThis as Json;
    self.dispatchEvent(new self.PushEvent("push", { data: JSON.stringify(data) }));
  }, payload);
}

/** The notifications the worker shows now. */
function shown(worker: Worker) {
  return worker.evaluate(async () =>
    (await (globalThis as Json).registration.getNotifications()).map((n: Json) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
    }))
  );
}

describe("notifications in the web app", () => {
  it("are never asked for on load: no permission prompt, no service worker", async () => {
    const { page } = await suite.newPage();
    await register(page, suite.url(), freshPhone(), "Quiet");
    await page.getByTestId("enable-push").waitFor();
    expect(await page.evaluate(() => (globalThis as Json).Notification.permission))
      .toBe("default");
    const registrations = await page.evaluate(() =>
      (globalThis as Json).navigator.serviceWorker.getRegistrations().then((r: Json[]) => r.length)
    );
    expect(registrations).toBe(0);
  });

  it("show a push from the service worker, replace it on a recall, and open the chat on click", async () => {
    const { context, page } = await suite.newPage();
    await context.grantPermissions(["notifications"], { origin: suite.url() });
    const [bob] = await aliceWithChats(page, ["Bob"]);
    const aliceId = await idOfPageUser(page);
    const conversationId = [aliceId, bob!.id].sort().join("_");
    await call("POST", "/v1/im/chat", bob!.token, {
      chatType: 2,
      recvId: aliceId,
      msg: { mType: 0, content: "first" },
      clientMsgId: crypto.randomUUID(),
    });
    await page.getByTestId("conversation").waitFor();

    const worker = await serviceWorkerOf(page);
    await dispatchPush(worker, {
      type: "message",
      conversationId,
      chatType: 2,
      sendId: bob!.id,
      senderName: "Bob",
      preview: "are you coming tonight?",
      seq: 3,
      count: 3,
      unread: 3,
    });
    await expect.poll(() => shown(worker)).toEqual([
      { title: "Bob", body: "are you coming tonight? (+2 more)", tag: conversationId },
    ]);

    await dispatchPush(worker, { type: "recall", conversationId, seq: 3 });
    await expect.poll(() => shown(worker)).toEqual([
      expect.objectContaining({ title: "Message recalled", tag: conversationId }),
    ]);

    expect(await page.getByTestId("chat-title").count()).toBe(0);
    await worker.evaluate(async () => {
      const self = globalThis as Json;
      const [notification] = await self.registration.getNotifications();
      self.dispatchEvent(new self.NotificationEvent("notificationclick", { notification }));
    });
    await expectTexts(page.getByTestId("chat-title"), ["Bob"]);
    await expect.poll(() => shown(worker)).toEqual([]);
  });

  it("mute and pin from the chat's header; a pinned chat is listed first", async () => {
    const { page } = await suite.newPage();
    const [bob, carol] = await aliceWithChats(page, ["Bob", "Carol"]);
    const aliceId = await idOfPageUser(page);
    for (const sender of [bob!, carol!]) {
      await call("POST", "/v1/im/chat", sender.token, {
        chatType: 2,
        recvId: aliceId,
        msg: { mType: 0, content: `hi from ${sender.name}` },
        clientMsgId: crypto.randomUUID(),
      });
    }
    const names = page.getByTestId("conversation").locator(".name");
    await expectTexts(names, ["Carol", "Bob"]);
    await page.getByTestId("conversation").filter({ hasText: "Bob" }).click();
    await page.getByRole("button", { name: "Pin chat", exact: true }).click();
    await page.getByRole("button", { name: "Mute chat", exact: true }).click();
    await expectTexts(names, ["Bob", "Carol"]);
    await page.getByRole("button", { name: "Unmute chat", exact: true }).waitFor();
    await page.getByTestId("pinned").waitFor();
    await page.getByTestId("muted").waitFor();
    await screenshot(page, "pinned-muted");
    // The settings are the server's: a reload shows them.
    await page.reload();
    await expectTexts(names, ["Bob", "Carol"]);
    const list = await call("GET", "/v1/im/conversation", bob!.token);
    expect(Object.values(list.conversationList)).toEqual([
      expect.objectContaining({ muted: false, pinned: false }),
    ]);
  });
});
