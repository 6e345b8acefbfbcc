/**
 * The web app in Chromium against the real service: two people in two browser contexts register,
 * become friends, chat both ways with live unread badges and read marks; one loses its socket,
 * messages are sent meanwhile, and after the reconnect each shows exactly once, in order.
 */
import type { BrowserContext, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  askFriend,
  expectTexts,
  freshPhone,
  messageTexts,
  register,
  screenshot,
  sendMessage,
  tab,
} from "./pages.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const newPage = suite.newPage;

/** Puts the page's chat sockets through the test, which can cut them and refuse new ones. */
async function controllableNetwork(context: BrowserContext) {
  const state = { offline: false, routes: [] as WebSocketRoute[], connects: 0 };
  await context.routeWebSocket(/\/v1\/im\/ws/, (route) => {
    state.connects += 1;
    if (state.offline) {
      void route.close({ code: 1011, reason: "test: offline" });
      return;
    }
    route.connectToServer();
    state.routes.push(route);
  });
  return {
    state,
    async goOffline() {
      state.offline = true;
      for (const route of state.routes.splice(0)) {
        await route.close({ code: 1011, reason: "test: offline" });
      }
    },
    goOnline() {
      state.offline = false;
    },
  };
}

describe("the web app", () => {
  it("is served at / with its own CSP, while API paths stay on the Worker", async () => {
    const page = await fetch(`${suite.url()}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self';");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    // An app route the browser asks for gets index.html (single-page application).
    const deep = await fetch(`${suite.url()}/chats/123`, {
      headers: { "Sec-Fetch-Mode": "navigate" },
    });
    expect(await deep.text()).toContain('<div id="app">');
    const missing = await fetch(`${suite.url()}/v1/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 100005, data: null });
    expect(missing.headers.get("x-request-id")).toMatch(/\S/);
  });

  it("lets two people befriend each other and chat, through a lost connection", async () => {
    const alice = await newPage();
    const bob = await newPage(true);
    const network = await controllableNetwork(alice.context);
    const bobPhone = freshPhone();

    await alice.page.goto(suite.url());
    await screenshot(alice.page, "login");
    await register(alice.page, suite.url(), freshPhone(), "Alice");
    await register(bob.page, suite.url(), bobPhone, "Bob");

    // Alice finds Bob by phone and asks; Bob accepts.
    await askFriend(alice.page, bobPhone);
    await tab(bob.page, "Friends");
    await bob.page.getByTestId("friend-requests").getByText("Alice").waitFor();
    await screenshot(bob.page, "friend-request");
    await bob.page.getByRole("button", { name: "Accept" }).click();
    await expectTexts(bob.page.getByTestId("friends").locator(".grow"), ["Alice"]);

    // Bob writes first: Alice's list gets the conversation with an unread badge and a preview.
    await bob.page.getByTestId("friends").getByText("Alice").click();
    await sendMessage(bob.page, "Hi Alice!");
    await tab(alice.page, "Chats");
    await expectTexts(alice.page.getByTestId("unread"), ["1"]);
    await sendMessage(bob.page, "Are you there?");
    await expectTexts(alice.page.getByTestId("unread"), ["2"]);
    await expectTexts(alice.page.getByTestId("conversation").locator(".preview"), [
      "Are you there?",
    ]);
    await screenshot(alice.page, "conversations");

    // Opening the chat clears the badge, and Bob sees his last message marked read.
    await alice.page.getByTestId("conversation").click();
    await expectTexts(alice.page.getByTestId("message").locator(".text"), [
      "Hi Alice!",
      "Are you there?",
    ]);
    await alice.page.getByTestId("unread").waitFor({ state: "detached" });
    await bob.page.getByTestId("read-mark").waitFor();
    await sendMessage(alice.page, "Hello Bob");
    await expectTexts(bob.page.getByTestId("message").locator(".text"), [
      "Hi Alice!",
      "Are you there?",
      "Hello Bob",
    ]);
    await bob.page.getByLabel("Message").pressSequentially("typing");
    await alice.page.getByTestId("typing").waitFor();
    await screenshot(alice.page, "chat");
    await screenshot(bob.page, "chat-mobile");

    // Alice's socket drops and new ones are refused; Bob writes meanwhile.
    await network.goOffline();
    await alice.page.getByTestId("connection").waitFor();
    expect(await alice.page.getByTestId("connection").textContent()).toBe("Reconnecting…");
    await screenshot(alice.page, "reconnecting");
    const missed = ["while you were away 1", "while you were away 2", "while you were away 3"];
    for (const text of missed) await sendMessage(bob.page, text);
    await expectTexts(bob.page.getByTestId("message").locator(".text"), [
      "Hi Alice!",
      "Are you there?",
      "Hello Bob",
      ...missed,
    ]);
    expect(await messageTexts(alice.page)).toEqual(["Hi Alice!", "Are you there?", "Hello Bob"]);

    // Back online: the session reconnects by itself and catches up, each message once, in order.
    const connectsWhileOffline = network.state.connects;
    network.goOnline();
    await alice.page.getByTestId("connection").waitFor({ state: "hidden", timeout: 40_000 });
    // The session came back over a new socket of its own (nobody reloaded the page).
    expect(network.state.connects).toBeGreaterThan(connectsWhileOffline);
    await expectTexts(alice.page.getByTestId("message").locator(".text"), [
      "Hi Alice!",
      "Are you there?",
      "Hello Bob",
      ...missed,
    ]);
    await sendMessage(bob.page, "welcome back");
    await expectTexts(alice.page.getByTestId("message").locator(".text"), [
      "Hi Alice!",
      "Are you there?",
      "Hello Bob",
      ...missed,
      "welcome back",
    ]);
  }, 180_000);

  it(
    "lets a group be created, a friend invited, and its chat reach them with a badge",
    async () => {
      const alice = await newPage();
      const bob = await newPage(true);
      const bobPhone = freshPhone();
      await register(alice.page, suite.url(), freshPhone(), "Alice");
      await register(bob.page, suite.url(), bobPhone, "Bob");
      await askFriend(alice.page, bobPhone);
      await tab(bob.page, "Friends");
      await bob.page.getByRole("button", { name: "Accept" }).click();
      await bob.page.getByTestId("friends").getByText("Alice").waitFor();

      await tab(alice.page, "Groups");
      await alice.page.getByLabel("New group name").fill("Weekend");
      await alice.page.getByRole("button", { name: "Create" }).click();
      await alice.page.getByTestId("groups").getByText("Weekend").click();
      await alice.page.getByLabel("Friend to invite").selectOption({ label: "Bob" });
      await alice.page.getByRole("button", { name: "Invite" }).click();
      await alice.page.getByText("Invited.").waitFor();
      await expectTexts(alice.page.getByTestId("group-detail").locator(".list .grow"), [
        "Alice",
        "Bob",
      ]);
      await screenshot(alice.page, "group");
      await alice.page.getByRole("button", { name: "Open chat" }).click();
      await sendMessage(alice.page, "Plans for Saturday?");

      await tab(bob.page, "Chats");
      await expectTexts(bob.page.getByTestId("conversation").locator(".name"), ["Weekend"]);
      await expectTexts(bob.page.getByTestId("unread"), ["1"]);
      await bob.page.getByTestId("conversation").click();
      await expectTexts(bob.page.getByTestId("message").locator(".text"), ["Plans for Saturday?"]);
      await bob.page.getByRole("button", { name: "‹ Back" }).click();
      await bob.page.getByTestId("unread").waitFor({ state: "detached" });
    },
    120_000,
  );
});
