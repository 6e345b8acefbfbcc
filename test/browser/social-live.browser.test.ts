/**
 * The social pushes (CONTRACT §14) and group invitations (§15) in the web app, in Chromium against
 * the real service. Others act over HTTP through the SDK while Bob's page stays open and is never
 * reloaded: a friend request appears and a friend's removal empties his list; an invitation from
 * Alice, who is not his friend, appears, Bob accepts, the group appears and he chats in it; when
 * Alice removes him, its chat says so; a friend's invite (no invitation) makes the group appear in
 * his open list, and his removal takes it out; a declined invitation leaves the list; and a
 * friend's online dot follows the friend's page opening and closing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  type ApiClient,
  CHAT_TYPE,
  conversationIdOf,
  createApiClient,
  unwrap,
} from "../../shared/client/index.ts";
import { expectTexts, freshPhone, register, screenshot, tab } from "./pages.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();

/** Someone registered over HTTP, with the SDK's API client as them. */
async function apiUser(nickname: string) {
  const anonymous = createApiClient({ baseUrl: suite.url() });
  const body = { phone: freshPhone(), password: "secret-pass", nickname };
  const { token } = await unwrap(anonymous.POST("/v1/user/register", { body }));
  return asUser(token);
}

async function asUser(token: string): Promise<{ id: string; api: ApiClient }> {
  const api = createApiClient({ baseUrl: suite.url(), token: () => token });
  const { info } = await unwrap(api.GET("/v1/user/user"));
  return { id: info.id, api };
}

/** Bob signed in on a page of his own, and his API client (read from the page's token). */
async function bobOnPage(name = "Bob") {
  const { page } = await suite.newPage();
  await register(page, suite.url(), freshPhone(), name);
  const token = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any -- the page's globals (no DOM types here)
    (globalThis as any).localStorage.getItem("easy-chat.token") as string
  );
  return { page, ...(await asUser(token!)) };
}

/** A group of `inviter`'s with Bob invited to it (a stranger's invite waits for his answer). */
async function inviteToGroup(inviter: { api: ApiClient }, bobId: string, name: string) {
  const group = await unwrap(inviter.api.POST("/v1/social/group", { body: { name } }));
  const body = { groupId: group.id, joinSource: 1, inviteeUid: bobId };
  await unwrap(inviter.api.POST("/v1/social/group/putIn", { body }));
  return group;
}

const rows = (page: Page, testId: string) => page.getByTestId(testId).locator(".grow");

describe("the web app follows the social pushes", () => {
  it("shows a friend request live, and drops a friend who removes Bob", async () => {
    const bob = await bobOnPage();
    await tab(bob.page, "Friends");
    await expectTexts(rows(bob.page, "friend-requests"), []);
    const carol = await apiUser("Carol");
    const body = { userUid: bob.id, reqMsg: "hi from the API" };
    await unwrap(carol.api.POST("/v1/social/friend/putIn", { body }));
    await expectTexts(rows(bob.page, "friend-requests"), ["Carol “hi from the API”"]);

    await bob.page.getByTestId("friend-requests").getByRole("button", { name: "Accept" }).click();
    await expectTexts(rows(bob.page, "friends"), ["Carol"]);
    await unwrap(carol.api.DELETE("/v1/social/friend", { body: { friendUid: bob.id } }));
    await expectTexts(rows(bob.page, "friends"), []);
  });

  it("shows Alice's invitation live; accepted, the group appears and Bob chats in it", async () => {
    const bob = await bobOnPage();
    await tab(bob.page, "Groups");
    await expectTexts(rows(bob.page, "groups"), []);
    const alice = await apiUser("Alice");
    const group = await inviteToGroup(alice, bob.id, "Picnic");

    const invitation = bob.page.getByTestId("group-invitation");
    await expectTexts(invitation.locator(".grow"), [
      `Alice invites you to group ${group.id.slice(0, 8)}`,
    ]);
    await expectTexts(bob.page.getByRole("navigation").locator(".badge"), ["1"]);
    await screenshot(bob.page, "group-invitation");
    await invitation.getByRole("button", { name: "Accept" }).click();
    await expectTexts(bob.page.getByTestId("invitation-notice"), ["Joined."]);
    await expect.poll(() => invitation.count()).toBe(0);
    await expectTexts(rows(bob.page, "groups").locator("strong"), ["Picnic"]);

    await bob.page.getByTestId("groups").getByText("Picnic").click();
    await bob.page.getByRole("button", { name: "Open chat" }).click();
    await bob.page.getByLabel("Message").fill("Count me in");
    await bob.page.getByRole("button", { name: "Send" }).click();
    await expectTexts(bob.page.getByTestId("message").locator(".text"), ["Count me in"]);
    const conversationId = conversationIdOf(CHAT_TYPE.group, alice.id, group.id);
    await expect.poll(async () => {
      const query = { conversationId, count: 10 };
      const page = await unwrap(alice.api.GET("/v1/im/chatlog", { params: { query } }));
      return page.list.map((m) => m?.content);
    }).toEqual(["Count me in"]);

    // Alice removes him: the group leaves his list, and its chat says so in place of the box.
    const kick = { groupId: group.id, userId: bob.id };
    await unwrap(alice.api.POST("/v1/social/group/kick", { body: kick }));
    await expectTexts(bob.page.getByTestId("group-left"), ["You were removed from this group."]);
    await expect.poll(() => bob.page.getByLabel("Message").count()).toBe(0);
  });

  it("a friend's invite puts Bob in at once: the group appears live, and leaves when he is removed", async () => {
    const bob = await bobOnPage();
    await tab(bob.page, "Groups");
    await expectTexts(rows(bob.page, "groups"), []);
    const carol = await apiUser("Carol");
    const asked = await unwrap(
      carol.api.POST("/v1/social/friend/putIn", { body: { userUid: bob.id } }),
    );
    const answer = { friendReqId: asked.id, handleResult: 2 };
    await unwrap(bob.api.PUT("/v1/social/friend/putIn", { body: answer }));
    const group = await inviteToGroup(carol, bob.id, "Choir");
    await expectTexts(rows(bob.page, "groups").locator("strong"), ["Choir"]);
    expect(await bob.page.getByTestId("group-invitation").count()).toBe(0);
    // Carol removes him while he looks at the list: the group leaves it.
    const kick = { groupId: group.id, userId: bob.id };
    await unwrap(carol.api.POST("/v1/social/group/kick", { body: kick }));
    await expectTexts(rows(bob.page, "groups"), []);
  });

  it("a declined invitation leaves the list, and Bob joins nothing", async () => {
    const bob = await bobOnPage();
    await tab(bob.page, "Groups");
    const alice = await apiUser("Alice");
    await inviteToGroup(alice, bob.id, "Book club");
    const invitation = bob.page.getByTestId("group-invitation");
    await invitation.getByRole("button", { name: "Decline" }).click();
    await expectTexts(bob.page.getByTestId("invitation-notice"), ["Invitation declined."]);
    await expect.poll(() => invitation.count()).toBe(0);
    expect((await unwrap(bob.api.GET("/v1/social/groups"))).list).toEqual([]);
    await expectTexts(rows(bob.page, "groups"), []);
  });

  it("a friend's online dot follows their page opening and closing", async () => {
    const bob = await bobOnPage();
    const dana = await bobOnPage("Dana");
    const asked = await unwrap(
      dana.api.POST("/v1/social/friend/putIn", { body: { userUid: bob.id } }),
    );
    const answer = { friendReqId: asked.id, handleResult: 2 };
    await unwrap(bob.api.PUT("/v1/social/friend/putIn", { body: answer }));
    await tab(bob.page, "Friends");
    const dot = bob.page.getByTestId("friends").locator(".dot");
    await expect.poll(() => dot.getAttribute("title"), { timeout: 15_000 }).toBe("online");
    await dana.page.close();
    // The server holds a change for up to 10 s after the last push about Dana (docs/social.md).
    await expect.poll(() => dot.getAttribute("title"), { timeout: 25_000 }).toBe("offline");
  });
});
