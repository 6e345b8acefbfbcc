/**
 * Per-user HTTP limits (CONTRACT §9): of a parallel burst over a limit, exactly the limit does
 * the work; the rest are 429 + 100008 with Retry-After, and nothing of theirs is stored.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  FRIEND_REQUESTS_PER_DAY,
  GROUPS_CREATED_PER_DAY,
  PRESENCE_LOOKUPS,
  USER_FINDS,
  USER_WRITES,
} from "../../../shared/limits.ts";
import { quickUsers } from "../../helpers/chat.ts";
import { api, type ApiAnswer } from "../../helpers/http.ts";
import { addMember, countRows, createGroup, quickUser } from "../../helpers/social.ts";

/** Sends `count` requests at once. */
function burst(count: number, send: (i: number) => Promise<ApiAnswer>): Promise<ApiAnswer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => send(i)));
}

/** Asserts `limit` answers were 200 and every other one a 429 + 100008 with Retry-After. */
function expectLimited(answers: ApiAnswer[], limit: number): void {
  const passed = answers.filter((answer) => answer.status === 200);
  const limited = answers.filter((answer) => answer.status === 429);
  expect(passed).toHaveLength(limit);
  expect(limited).toHaveLength(answers.length - limit);
  for (const answer of limited) {
    expect(answer.body.code).toBe(100008);
    expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
  }
}

/** A burst of 110–130 social writes, each with its pushes: seconds on a loaded machine. */
const BURST_TIMEOUT_MS = 20_000;

describe("per-user write limit", () => {
  it(`lets ${USER_WRITES.limit} writes a minute through and stores nothing of the rest`, async () => {
    const alice = await quickUser("Alice");
    const answers = await burst(
      USER_WRITES.limit + 10,
      (i) => api("PUT", "/v1/user/user", { token: alice.token, body: { nickname: `n${i}` } }),
    );
    expectLimited(answers, USER_WRITES.limit);
  });

  it("counts blocks, unblocks and mutes as writes", async () => {
    const alice = await quickUser("Alice");
    const [member, ...others] = await quickUsers(50, "other");
    // Two writes of Alice's own: the group and the invitation.
    const group = await createGroup(alice);
    await addMember(group.id, alice, member!);
    const until = Date.now() + 60 * 60 * 1000;
    const answers = await burst(USER_WRITES.limit + 10, (i) => {
      const other = others[i % others.length]!;
      if (i % 3 === 0) {
        return api("POST", "/v1/social/block", { token: alice.token, body: { userId: other.id } });
      }
      if (i % 3 === 1) {
        return api("DELETE", "/v1/social/block", {
          token: alice.token,
          body: { userId: other.id },
        });
      }
      return api("PUT", "/v1/social/group/mute", {
        token: alice.token,
        body: { groupId: group.id, userId: member!.id, until },
      });
    });
    expectLimited(answers, USER_WRITES.limit - 2);
  }, BURST_TIMEOUT_MS);

  it(`allows ${FRIEND_REQUESTS_PER_DAY.limit} friend requests a day`, async () => {
    const alice = await quickUser("Alice");
    const others = await quickUsers(FRIEND_REQUESTS_PER_DAY.limit + 10, "asked");
    const answers = await burst(others.length, (i) =>
      api("POST", "/v1/social/friend/putIn", {
        token: alice.token,
        body: { userUid: others[i]!.id },
      }));
    expectLimited(answers, FRIEND_REQUESTS_PER_DAY.limit);
    const stored = await countRows(
      "SELECT count(*) AS n FROM friend_requests WHERE req_uid = ?",
      alice.id,
    );
    expect(stored).toBe(FRIEND_REQUESTS_PER_DAY.limit);
  }, BURST_TIMEOUT_MS);

  it(`allows ${GROUPS_CREATED_PER_DAY.limit} groups created a day`, async () => {
    const alice = await quickUser("Alice");
    const answers = await burst(
      GROUPS_CREATED_PER_DAY.limit + 10,
      (i) => api("POST", "/v1/social/group", { token: alice.token, body: { name: `g${i}` } }),
    );
    expectLimited(answers, GROUPS_CREATED_PER_DAY.limit);
    const stored = await countRows(
      "SELECT count(*) AS n FROM groups WHERE creator_uid = ?",
      alice.id,
    );
    expect(stored).toBe(GROUPS_CREATED_PER_DAY.limit);
  });
});

describe("per-user presence limit", () => {
  it(`answers ${PRESENCE_LOOKUPS.limit} presence look-ups a minute over both routes`, async () => {
    const alice = await quickUser("Alice");
    const group = await createGroup(alice);
    const answers = await burst(PRESENCE_LOOKUPS.limit + 10, (i) =>
      api(
        "GET",
        i % 2 === 0
          ? "/v1/social/friends/online"
          : `/v1/social/group/users/online?groupId=${group.id}`,
        { token: alice.token },
      ));
    expectLimited(answers, PRESENCE_LOOKUPS.limit);
  });
});

describe("HEAD requests", () => {
  it("take the GET route's slot: HEAD cannot walk past the find limit", async () => {
    const alice = await quickUser("Alice");
    const head = () =>
      exports.default.fetch(
        new Request("https://chat.test/v1/user/find?name=zz", {
          method: "HEAD",
          headers: { Authorization: `Bearer ${alice.token}` },
        }),
      );
    const answers = await Promise.all(Array.from({ length: USER_FINDS.limit + 5 }, head));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(USER_FINDS.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    const after = await api("GET", "/v1/user/find?name=zz", { token: alice.token });
    expect(after.status).toBe(429);
  });
});

describe("per-user find limit", () => {
  it(`answers ${USER_FINDS.limit} finds a minute`, async () => {
    const alice = await quickUser("Alice");
    const answers = await burst(
      USER_FINDS.limit + 10,
      () => api("GET", "/v1/user/find?name=zz", { token: alice.token }),
    );
    expectLimited(answers, USER_FINDS.limit);
  });

  it("counts each user on their own", async () => {
    const [alice, bob] = await quickUsers(2);
    await burst(
      USER_FINDS.limit,
      () => api("GET", "/v1/user/find?name=zz", { token: alice!.token }),
    );
    const answer = await api("GET", "/v1/user/find?name=zz", { token: bob!.token });
    expect(answer.status).toBe(200);
  });
});
