/**
 * Races between friend operations, run concurrently against D1 through the service (requests
 * sent to the Worker one after another in a test are not guaranteed to interleave; service calls
 * in one isolate interleave at every query).
 */
import { describe, expect, it } from "vitest";
import { pairKey } from "../../../shared/ids.ts";
import { noMembershipEvents } from "../../../shared/social/events.ts";
import { askFriend, handleFriendRequest } from "../../../shared/social/friend-service.ts";
import { createD1TestDb } from "../../helpers/d1-db.ts";

import { countRows, quickUser, recordingEvents } from "../../helpers/social.ts";

const db = createD1TestDb();

function requestRows(a: string, b: string, onlyPending: boolean) {
  const pending = onlyPending ? " AND handle_result = 1" : "";
  return countRows(
    `SELECT count(*) AS n FROM friend_requests WHERE pair_key = ?${pending}`,
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

describe("racing friend requests", () => {
  it("leaves one pending row when the same ask runs five times at once", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const answers = await Promise.all(
      Array.from(
        { length: 5 },
        () => askFriend({ db, events: noMembershipEvents, userId: alice.id }, { userUid: bob.id }),
      ),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await requestRows(alice.id, bob.id, true)).toBe(1);
    expect(await requestRows(alice.id, bob.id, false)).toBe(1);
  });

  it("makes one friendship, announced once, when both sides ask each other at once", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const { events, calls } = recordingEvents();
    const answers = await Promise.all([
      askFriend({ db, events, userId: alice.id }, { userUid: bob.id }),
      askFriend({ db, events, userId: bob.id }, { userUid: alice.id }),
    ]);
    expect(answers.map((a) => a.handleResult).sort()).toEqual([1, 2]);
    expect(await friendRows(alice.id, bob.id)).toBe(2);
    expect(await requestRows(alice.id, bob.id, true)).toBe(0);
    expect(await requestRows(alice.id, bob.id, false)).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe("friendshipCreated");
  });

  it("lets one of four identical passes through and announces the friendship once", async () => {
    const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
    const request = await askFriend({ db, events: noMembershipEvents, userId: alice.id }, {
      userUid: bob.id,
    });
    const { events, calls } = recordingEvents();
    const results = await Promise.allSettled(
      Array.from(
        { length: 4 },
        () =>
          handleFriendRequest({ db, events, userId: bob.id }, {
            friendReqId: request.id,
            handleResult: 2,
          }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((r) => r.status === "rejected")) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    }
    expect(await friendRows(alice.id, bob.id)).toBe(2);
    expect(calls).toEqual([["friendshipCreated", bob.id, alice.id]]);
  });

  // Both orders: whichever call reaches D1 first wins, so each order exercises the other loser.
  it.each(
    [
      [3, "pass first"],
      [3, "pass second"],
      [4, "pass first"],
      [4, "pass second"],
    ] as const,
  )(
    "lets one of a pass and a %i racing win (%s), with a friendship only if the pass won",
    async (other, order) => {
      const [alice, bob] = await Promise.all([quickUser(), quickUser()]);
      const request = await askFriend({ db, events: noMembershipEvents, userId: alice.id }, {
        userUid: bob.id,
      });
      const { events, calls } = recordingEvents();
      const otherActor = other === 4 ? alice.id : bob.id;
      const pass = () =>
        handleFriendRequest({ db, events, userId: bob.id }, {
          friendReqId: request.id,
          handleResult: 2,
        });
      const rival = () =>
        handleFriendRequest({ db, events, userId: otherActor }, {
          friendReqId: request.id,
          handleResult: other,
        });
      const results = order === "pass first"
        ? await Promise.allSettled([pass(), rival()])
        : (await Promise.allSettled([rival(), pass()])).reverse();
      const [passResult, rivalResult] = results;
      expect([passResult!.status, rivalResult!.status].sort()).toEqual(["fulfilled", "rejected"]);
      const passWon = passResult!.status === "fulfilled";
      expect(await friendRows(alice.id, bob.id)).toBe(passWon ? 2 : 0);
      expect(
        await countRows("SELECT handle_result AS n FROM friend_requests WHERE id = ?", request.id),
      )
        .toBe(passWon ? 2 : other);
      expect(calls).toHaveLength(passWon ? 1 : 0);
    },
  );
});
