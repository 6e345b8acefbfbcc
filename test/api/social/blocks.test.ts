/** The block list over HTTP (CONTRACT §10): block, unblock, list, the cap, friend requests. */
import { describe, expect, it } from "vitest";
import { MAX_BLOCKS_PER_USER } from "../../../shared/limits.ts";
import { api, expectRefusal, type TestUser } from "../../helpers/http.ts";
import { askFriend, collectPages, countRows, fillBlocks, quickUser } from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

function block(actor: TestUser, userId: unknown) {
  return api("POST", "/v1/social/block", { token: actor.token, body: { userId } });
}

function unblock(actor: TestUser, userId: unknown) {
  return api("DELETE", "/v1/social/block", { token: actor.token, body: { userId } });
}

function blockRows(userId: string, blockedUid?: string) {
  return blockedUid === undefined
    ? countRows("SELECT count(*) AS n FROM blocks WHERE user_id = ?", userId)
    : countRows(
      "SELECT count(*) AS n FROM blocks WHERE user_id = ? AND blocked_uid = ?",
      userId,
      blockedUid,
    );
}

describe("POST /v1/social/block", () => {
  it("blocks a user: {} and one row", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const answer = await block(alice, bob.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ code: 200, msg: "ok", data: {} });
    expect(await blockRows(alice.id, bob.id)).toBe(1);
    expect(await blockRows(bob.id)).toBe(0);
  });

  it("is idempotent: a second block answers {} and stores no second row", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    expect((await block(alice, bob.id)).status).toBe(200);
    const again = await block(alice, bob.id);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({});
    expect(await blockRows(alice.id, bob.id)).toBe(1);
  });

  it("stores one row for a parallel burst of the same block", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => block(alice, bob.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await blockRows(alice.id, bob.id)).toBe(1);
  });

  it("refuses blocking yourself with 400 + 100002", async () => {
    const alice = await quickUser();
    const answer = await block(alice, alice.id);
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toContain("userId");
    expect(await blockRows(alice.id)).toBe(0);
  });

  it("refuses an unknown user with 404 + 100005", async () => {
    const alice = await quickUser();
    expectRefusal(await block(alice, UNKNOWN_ID), 404, 100005);
    expect(await blockRows(alice.id)).toBe(0);
  });

  it.each([
    ["a missing userId", {}],
    ["a userId that is not an id", { userId: "bob" }],
    ["a number", { userId: 7 }],
  ])("refuses %s with 400 + 100002", async (_what, body) => {
    const alice = await quickUser();
    const answer = await api("POST", "/v1/social/block", { token: alice.token, body });
    expectRefusal(answer, 400, 100002);
  });

  it("refuses a request without a token with 401 + 100003", async () => {
    const bob = await quickUser();
    const answer = await api("POST", "/v1/social/block", { body: { userId: bob.id } });
    expectRefusal(answer, 401, 100003);
  });

  it(`holds MAX_BLOCKS_PER_USER (${MAX_BLOCKS_PER_USER}) under a burst: 409 + 100007 naming it`, async () => {
    const alice = await quickUser();
    const others = await Promise.all(Array.from({ length: 5 }, () => quickUser()));
    await fillBlocks(alice.id, MAX_BLOCKS_PER_USER - 1);
    const answers = await Promise.all(others.map((other) => block(alice, other.id)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expectRefusal(refused, 409, 100007);
      expect(refused.body.msg).toContain(String(MAX_BLOCKS_PER_USER));
    }
    expect(await blockRows(alice.id)).toBe(MAX_BLOCKS_PER_USER);
    // Someone already blocked is still answered {} at the cap: nothing new is stored.
    const blocked = others[answers.findIndex((a) => a.status === 200)]!;
    expect((await block(alice, blocked.id)).status).toBe(200);
    expect(await blockRows(alice.id)).toBe(MAX_BLOCKS_PER_USER);
  });
});

describe("DELETE /v1/social/block", () => {
  it("unblocks: {} and the row is gone; unblocking again answers {}", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await block(alice, bob.id);
    const answer = await unblock(alice, bob.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ code: 200, msg: "ok", data: {} });
    expect(await blockRows(alice.id, bob.id)).toBe(0);
    const again = await unblock(alice, bob.id);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({});
  });

  it("answers {} for someone never blocked", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    expect((await unblock(alice, bob.id)).body).toEqual({ code: 200, msg: "ok", data: {} });
  });

  it("refuses yourself with 400 and an unknown user with 404", async () => {
    const alice = await quickUser();
    expectRefusal(await unblock(alice, alice.id), 400, 100002);
    expectRefusal(await unblock(alice, UNKNOWN_ID), 404, 100005);
  });

  it("removes only the caller's own block, not the other direction", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await block(alice, bob.id);
    await block(bob, alice.id);
    await unblock(bob, alice.id);
    expect(await blockRows(alice.id, bob.id)).toBe(1);
    expect(await blockRows(bob.id, alice.id)).toBe(0);
  });
});

describe("GET /v1/social/blocks", () => {
  it("lists the blocked users' public profiles, earliest block first, page by page", async () => {
    const alice = await quickUser("Alice");
    const others = [await quickUser("One"), await quickUser("Two"), await quickUser("Three")];
    for (const other of others) {
      await block(alice, other.id);
      // Distinct block times, so the order is the order of blocking.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const first = await api("GET", "/v1/social/blocks?limit=2", { token: alice.token });
    expect(first.status).toBe(200);
    expect(first.body.data.list).toEqual([
      { id: others[0]!.id, nickname: "One", avatar: "", sex: 0 },
      { id: others[1]!.id, nickname: "Two", avatar: "", sex: 0 },
    ]);
    expect(first.body.data.nextCursor).toEqual(expect.any(String));
    const { ids } = await collectPages("/v1/social/blocks", alice.token, 2);
    expect(ids).toEqual(others.map((o) => o.id));
  });

  it("leaves an unblocked user out, and never shows the blocked user who blocks them", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    await block(alice, bob.id);
    await block(alice, carol.id);
    await unblock(alice, bob.id);
    const mine = await api("GET", "/v1/social/blocks", { token: alice.token });
    expect(mine.body.data).toEqual({
      list: [expect.objectContaining({ id: carol.id })],
      nextCursor: null,
    });
    // Carol is blocked, and her own list says nothing about it.
    const hers = await api("GET", "/v1/social/blocks", { token: carol.token });
    expect(hers.body.data).toEqual({ list: [], nextCursor: null });
  });

  it.each(["limit=0", "limit=201", "limit=x", "cursor=not-a-cursor"])(
    "refuses ?%s with 400 + 100002",
    async (query) => {
      const alice = await quickUser();
      expectRefusal(
        await api("GET", `/v1/social/blocks?${query}`, { token: alice.token }),
        400,
        100002,
      );
    },
  );
});

describe("friend requests and blocks", () => {
  const REFUSAL = "you cannot send this user a friend request";

  it("refuses a friend request from someone the asked user blocks, storing nothing", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await block(bob, alice.id);
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: bob.id, reqMsg: "please" },
    });
    expectRefusal(answer, 403, 100006);
    expect(answer.body.msg).toBe(REFUSAL);
    expect(await countRows("SELECT count(*) AS n FROM friend_requests WHERE req_uid = ?", alice.id))
      .toBe(0);
  });

  it("refuses it even when the blocker had asked first (no friendship by asking back)", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await askFriend(bob, alice);
    await block(bob, alice.id);
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: bob.id },
    });
    expectRefusal(answer, 403, 100006);
    expect(answer.body.msg).toBe(REFUSAL);
    expect(await countRows("SELECT count(*) AS n FROM friends WHERE user_id = ?", alice.id))
      .toBe(0);
  });

  it("lets the blocker ask the user they block", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await block(bob, alice.id);
    const request = await askFriend(bob, alice);
    expect(request).toMatchObject({ userId: alice.id, reqUid: bob.id, handleResult: 1 });
  });

  it("lets the request through again after the unblock", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await block(bob, alice.id);
    await unblock(bob, alice.id);
    const request = await askFriend(alice, bob);
    expect(request).toMatchObject({ userId: bob.id, reqUid: alice.id, handleResult: 1 });
  });
});
