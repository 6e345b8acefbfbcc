import { describe, expect, it } from "vitest";
import { pairKey } from "../../../shared/ids.ts";
import { api, createUser } from "../../helpers/http.ts";
import {
  askFriend,
  collectPages,
  countRows,
  handleFriendRequest,
  makeFriends,
  quickUser,
} from "../../helpers/social.ts";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

function pendingRows(a: string, b: string) {
  return countRows(
    "SELECT count(*) AS n FROM friend_requests WHERE pair_key = ? AND handle_result = 1",
    pairKey(a, b),
  );
}

function friendRows(a: string, b: string) {
  return countRows(
    "SELECT count(*) AS n FROM friends WHERE (user_id = ?1 AND friend_uid = ?2) OR (user_id = ?2 AND friend_uid = ?1)",
    a,
    b,
  );
}

describe("POST /v1/social/friend/putIn", () => {
  it("creates a pending request from the caller to the user asked", async () => {
    // Registered through the API, end to end; the other tests use quickUser for speed.
    const [alice, bob] = await Promise.all([createUser("Alice"), createUser("Bob")]);
    const before = Date.now();
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: bob.id, reqMsg: "hi bob" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ code: 200, msg: "ok" });
    expect(answer.body.data).toMatchObject({
      userId: bob.id,
      reqUid: alice.id,
      reqMsg: "hi bob",
      handleResult: 1,
      handleMsg: "",
      handledAt: null,
    });
    expect(answer.body.data.id).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.body.data.reqTime).toBeGreaterThanOrEqual(before);
  });

  it("refuses asking yourself with 400", async () => {
    const alice = await quickUser();
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: alice.id },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 100002, data: null });
  });

  it("answers 404 for a user that does not exist", async () => {
    const alice = await quickUser();
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: UNKNOWN_ID },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe(100005);
  });

  it("answers 409 when the two are already friends", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    for (const [from, to] of [[alice, bob], [bob, alice]] as const) {
      const answer = await api("POST", "/v1/social/friend/putIn", {
        token: from.token,
        body: { userUid: to.id },
      });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe(100007);
    }
  });

  it("returns the pending request on a second ask instead of adding a row", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const first = await askFriend(alice, bob, "first");
    const second = await askFriend(alice, bob, "second");
    expect(second.id).toBe(first.id);
    expect(second.reqMsg).toBe("first");
    expect(await pendingRows(alice.id, bob.id)).toBe(1);
  });

  it("accepts their pending request when the asked user asks back", async () => {
    const [alice, bob] = await Promise.all([quickUser("Alice"), quickUser("Bob")]);
    const theirs = await askFriend(alice, bob);
    const answer = await api("POST", "/v1/social/friend/putIn", {
      token: bob.token,
      body: { userUid: alice.id },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      id: theirs.id,
      userId: bob.id,
      reqUid: alice.id,
      handleResult: 2,
    });
    expect(answer.body.data.handledAt).toEqual(expect.any(Number));
    expect(await friendRows(alice.id, bob.id)).toBe(2);
    expect(await pendingRows(alice.id, bob.id)).toBe(0);
  });

  it("lets the two ask again after they stopped being friends", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    await api("DELETE", "/v1/social/friend", { token: alice.token, body: { friendUid: bob.id } });
    const again = await askFriend(bob, alice);
    expect(again).toMatchObject({ userId: alice.id, reqUid: bob.id, handleResult: 1 });
  });

  it("counts reqMsg in characters: 200 emoji pass, 201 characters do not", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const fits = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: bob.id, reqMsg: "😀".repeat(200) },
    });
    expect(fits.status).toBe(200);
    const tooLong = await api("POST", "/v1/social/friend/putIn", {
      token: alice.token,
      body: { userUid: carol.id, reqMsg: "x".repeat(201) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.msg).toContain("reqMsg");
  });

  it.each([
    ["a missing userUid", {}],
    ["a numeric userUid", { userUid: 42 }],
    ["a malformed userUid", { userUid: "not-an-id" }],
    ["an id with an underscore", { userUid: "0123456789abcdef_123456789abcdef" }],
    ["a numeric reqMsg", { userUid: UNKNOWN_ID, reqMsg: 5 }],
  ])("refuses %s with 400 + 100002", async (_label, body) => {
    const alice = await quickUser();
    const answer = await api("POST", "/v1/social/friend/putIn", { token: alice.token, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 100002, data: null });
  });

  it("refuses a caller without a token with 401", async () => {
    const answer = await api("POST", "/v1/social/friend/putIn", { body: { userUid: UNKNOWN_ID } });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(100003);
  });
});

describe("PUT /v1/social/friend/putIn", () => {
  it("passing makes both friendship rows and marks the request passed", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend(alice, bob);
    const answer = await handleFriendRequest(bob, request.id, 2);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ id: request.id, handleResult: 2 });
    expect(answer.body.data.handledAt).toEqual(expect.any(Number));
    expect(await friendRows(alice.id, bob.id)).toBe(2);
  });

  it("refusing makes no friendship", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend(alice, bob);
    const answer = await handleFriendRequest(bob, request.id, 3);
    expect(answer.status).toBe(200);
    expect(answer.body.data.handleResult).toBe(3);
    expect(await friendRows(alice.id, bob.id)).toBe(0);
  });

  it("cancelling by the asker makes no friendship", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend(alice, bob);
    const answer = await handleFriendRequest(alice, request.id, 4);
    expect(answer.status).toBe(200);
    expect(answer.body.data.handleResult).toBe(4);
    expect(await friendRows(alice.id, bob.id)).toBe(0);
  });

  it("keeps a handleMsg given with the answer", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend(alice, bob);
    const answer = await api("PUT", "/v1/social/friend/putIn", {
      token: bob.token,
      body: { friendReqId: request.id, handleResult: 3, handleMsg: "sorry" },
    });
    expect(answer.body.data.handleMsg).toBe("sorry");
  });

  // Authorization matrix: action × who → status (the asked user, the asker, a third user).
  it.each(
    [
      [2, "asked", 200],
      [2, "asker", 403],
      [2, "stranger", 404],
      [3, "asked", 200],
      [3, "asker", 403],
      [3, "stranger", 404],
      [4, "asker", 200],
      [4, "asked", 403],
      [4, "stranger", 404],
    ] as const,
  )("handleResult %i by the %s answers %i", async (handleResult, who, status) => {
    const [asker, asked, stranger] = await Promise.all([
      quickUser(),
      quickUser(),
      quickUser(),
    ]);
    const request = await askFriend(asker, asked);
    const actor = { asker, asked, stranger }[who];
    const answer = await handleFriendRequest(actor, request.id, handleResult);
    expect(answer.status).toBe(status);
    const expectedResult = status === 200 ? handleResult : 1;
    expect(
      await countRows(
        "SELECT handle_result AS n FROM friend_requests WHERE id = ?",
        request.id,
      ),
    ).toBe(expectedResult);
  });

  it.each([2, 3, 4])(
    "answers 409 when handling with %i a request already handled",
    async (next) => {
      const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
      const request = await askFriend(alice, bob);
      expect((await handleFriendRequest(alice, request.id, 4)).status).toBe(200);
      const actor = next === 4 ? alice : bob;
      const answer = await handleFriendRequest(actor, request.id, next);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe(100007);
    },
  );

  it("answers 404 for an unknown request id", async () => {
    const alice = await quickUser();
    const answer = await handleFriendRequest(alice, UNKNOWN_ID, 2);
    expect(answer.status).toBe(404);
  });

  it.each([
    ["handleResult 1", { handleResult: 1 }],
    ["handleResult 5", { handleResult: 5 }],
    ["handleResult as a string", { handleResult: "2" }],
    ["a fractional handleResult", { handleResult: 2.5 }],
    ["a missing handleResult", { handleResult: undefined }],
    ["a missing friendReqId", { friendReqId: undefined }],
    ["a malformed friendReqId", { friendReqId: "abc" }],
    ["a handleMsg over 200 characters", { handleMsg: "y".repeat(201) }],
  ])("refuses %s with 400", async (_label, override) => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend(alice, bob);
    const answer = await api("PUT", "/v1/social/friend/putIn", {
      token: bob.token,
      body: { friendReqId: request.id, handleResult: 2, ...override },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
    expect(await pendingRows(alice.id, bob.id)).toBe(1);
  });
});

describe("GET /v1/social/friend/putIns", () => {
  it("lists requests asked of the caller by default, and the caller's own with direction=sent", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const toAlice = await askFriend(bob, alice);
    const fromAlice = await askFriend(alice, carol);

    const received = await api("GET", "/v1/social/friend/putIns", { token: alice.token });
    expect(received.status).toBe(200);
    expect(received.body.data).toEqual({ list: [toAlice], nextCursor: null });

    const sent = await api("GET", "/v1/social/friend/putIns?direction=sent", {
      token: alice.token,
    });
    expect(sent.body.data.list).toEqual([fromAlice]);

    const carolSees = await api("GET", "/v1/social/friend/putIns", { token: carol.token });
    expect(carolSees.body.data.list.map((r: { id: string }) => r.id)).toEqual([fromAlice.id]);
  });

  it("lists only pending requests", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const refused = await askFriend(bob, alice);
    const pending = await askFriend(carol, alice);
    await handleFriendRequest(alice, refused.id, 3);
    const answer = await api("GET", "/v1/social/friend/putIns", { token: alice.token });
    expect(answer.body.data.list.map((r: { id: string }) => r.id)).toEqual([pending.id]);
  });

  it("pages through requests oldest first with limit and cursor, without repeats", async () => {
    const alice = await quickUser();
    const askers = await Promise.all(Array.from({ length: 5 }, () => quickUser()));
    const ids: string[] = [];
    for (const asker of askers) ids.push((await askFriend(asker, alice)).id);

    const walked = await collectPages("/v1/social/friend/putIns", alice.token, 2);
    expect(walked.pages.map((p) => p.body.data.list.length)).toEqual([2, 2, 1]);
    expect(walked.ids).toEqual(ids);
    expect(walked.pages.at(-1)!.body.data.nextCursor).toBeNull();
  });

  it.each([
    ["limit=0"],
    ["limit=201"],
    ["limit=abc"],
    ["limit=1.5"],
    ["direction=both"],
    ["cursor=not-a-cursor"],
    [`cursor=${btoa("12:xyz")}`],
  ])("refuses ?%s with 400", async (query) => {
    const alice = await quickUser();
    const answer = await api("GET", `/v1/social/friend/putIns?${query}`, { token: alice.token });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(100002);
  });

  it("accepts the largest page size", async () => {
    const alice = await quickUser();
    const answer = await api("GET", "/v1/social/friend/putIns?limit=200", { token: alice.token });
    expect(answer.status).toBe(200);
  });
});

describe("GET /v1/social/friends", () => {
  it("lists friends with nickname, avatar, remark and addSource", async () => {
    const [alice, bob] = await Promise.all([quickUser("Alice"), quickUser("Bob")]);
    await makeFriends(alice, bob);
    const answer = await api("GET", "/v1/social/friends", { token: alice.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.nextCursor).toBeNull();
    expect(answer.body.data.list).toEqual([{
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      friendUid: bob.id,
      nickname: "Bob",
      avatar: "",
      remark: "",
      addSource: 1,
      createdAt: expect.any(Number),
    }]);
    const bobSees = await api("GET", "/v1/social/friends", { token: bob.token });
    expect(bobSees.body.data.list.map((f: { friendUid: string }) => f.friendUid)).toEqual([
      alice.id,
    ]);
  });

  it("is empty for someone without friends", async () => {
    const loner = await quickUser();
    const answer = await api("GET", "/v1/social/friends", { token: loner.token });
    expect(answer.body.data).toEqual({ list: [], nextCursor: null });
  });

  it("pages through friends with limit and cursor", async () => {
    const alice = await quickUser();
    const others = await Promise.all(Array.from({ length: 3 }, () => quickUser()));
    for (const other of others) await makeFriends(other, alice);
    const walked = await collectPages("/v1/social/friends", alice.token, 2);
    expect(walked.pages.map((p) => p.body.data.list.length)).toEqual([2, 1]);
    const friendUids = walked.pages.flatMap((p) =>
      p.body.data.list.map((f: { friendUid: string }) => f.friendUid)
    );
    expect(friendUids).toEqual(others.map((o) => o.id));
  });

  it("refuses a page size over the maximum", async () => {
    const alice = await quickUser();
    const answer = await api("GET", "/v1/social/friends?limit=500", { token: alice.token });
    expect(answer.status).toBe(400);
  });
});

describe("PUT /v1/social/friend/remark", () => {
  it("sets the caller's remark for a friend, not the friend's for the caller", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser("Bob")]);
    await makeFriends(alice, bob);
    const answer = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "Bobby 🧗" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      friendUid: bob.id,
      nickname: "Bob",
      remark: "Bobby 🧗",
    });
    const bobSees = await api("GET", "/v1/social/friends", { token: bob.token });
    expect(bobSees.body.data.list[0].remark).toBe("");
  });

  it("clears the remark with an empty string", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "x" },
    });
    const answer = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "" },
    });
    expect(answer.body.data.remark).toBe("");
  });

  it("answers 404 for someone who is not a friend", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const answer = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "hm" },
    });
    expect(answer.status).toBe(404);
  });

  it.each([
    ["a remark over 24 characters", { remark: "r".repeat(25) }],
    ["a missing remark", { remark: undefined }],
    ["a numeric remark", { remark: 7 }],
    ["a missing friendUid", { friendUid: undefined }],
    ["a malformed friendUid", { friendUid: "bob" }],
  ])("refuses %s with 400", async (_label, override) => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    const answer = await api("PUT", "/v1/social/friend/remark", {
      token: alice.token,
      body: { friendUid: bob.id, remark: "ok", ...override },
    });
    expect(answer.status).toBe(400);
  });
});

describe("DELETE /v1/social/friend", () => {
  it("removes the friendship in both directions", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    const answer = await api("DELETE", "/v1/social/friend", {
      token: bob.token,
      body: { friendUid: alice.id },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({});
    expect(await friendRows(alice.id, bob.id)).toBe(0);
    const aliceSees = await api("GET", "/v1/social/friends", { token: alice.token });
    expect(aliceSees.body.data.list).toEqual([]);
  });

  it("answers 404 for someone who is not (or no longer) a friend", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    await api("DELETE", "/v1/social/friend", { token: alice.token, body: { friendUid: bob.id } });
    const again = await api("DELETE", "/v1/social/friend", {
      token: alice.token,
      body: { friendUid: bob.id },
    });
    expect(again.status).toBe(404);
  });

  it("does not touch a third user's friendships", async () => {
    const [alice, bob, carol] = await Promise.all([quickUser(), quickUser(), quickUser()]);
    await makeFriends(alice, bob);
    await makeFriends(bob, carol);
    const answer = await api("DELETE", "/v1/social/friend", {
      token: alice.token,
      body: { friendUid: carol.id },
    });
    expect(answer.status).toBe(404);
    expect(await friendRows(bob.id, carol.id)).toBe(2);
  });

  it.each([
    ["no body", undefined],
    ["a missing friendUid", {}],
    ["a malformed friendUid", { friendUid: 12 }],
  ])("refuses %s with 400", async (_label, body) => {
    const alice = await quickUser();
    const answer = await api("DELETE", "/v1/social/friend", { token: alice.token, body });
    expect(answer.status).toBe(400);
  });
});
