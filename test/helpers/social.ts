/** Social test helpers: friendships, groups and members made through the real API. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { MembershipEvents } from "../../shared/social/events.ts";
import { signAccessToken } from "../../shared/auth/tokens.ts";
import { insertUser } from "../../shared/db/users.ts";
import { newId } from "../../shared/ids.ts";
import { createD1TestDb } from "./d1-db.ts";
import { api, type ApiAnswer, type TestUser, uniquePhone } from "./http.ts";

/**
 * A user written straight into D1 with a real signed token. Registration (and its bcrypt cost,
 * ~0.3 s a user) is the user tests' concern; the social tests need hundreds of users.
 */
export async function quickUser(nickname = "Tester"): Promise<TestUser> {
  const id = newId();
  const phone = uniquePhone();
  await insertUser(createD1TestDb(), {
    id,
    phone,
    passwordHash: "not-a-bcrypt-hash",
    nickname,
    nicknameFolded: nickname.toLowerCase(),
    createdAt: Date.now(),
  });
  const { token } = await signAccessToken(id, { secret: env.JWT_SECRET, ttlSeconds: 3600 });
  return { id, token, phone, password: "", nickname };
}

/** Asks, expects a 200, and returns the request. */
// deno-lint-ignore no-explicit-any -- tests read whatever shape the route answers
export async function askFriend(from: TestUser, to: TestUser, reqMsg?: string): Promise<any> {
  const answer = await api("POST", "/v1/social/friend/putIn", {
    token: from.token,
    body: { userUid: to.id, ...(reqMsg !== undefined && { reqMsg }) },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/** Handles a friend request as `actor`, returning the raw answer. */
export function handleFriendRequest(actor: TestUser, friendReqId: string, handleResult: number) {
  return api("PUT", "/v1/social/friend/putIn", {
    token: actor.token,
    body: { friendReqId, handleResult },
  });
}

/** Makes `a` and `b` friends (a asks, b passes). */
export async function makeFriends(a: TestUser, b: TestUser): Promise<void> {
  const request = await askFriend(a, b);
  const passed = await handleFriendRequest(b, request.id, 2);
  expect(passed.status, JSON.stringify(passed.body)).toBe(200);
}

export interface GroupOptions {
  name?: string;
  isVerify?: boolean;
  notification?: string;
  icon?: string;
}

/** Creates a group owned by `owner` and returns the Group. */
// deno-lint-ignore no-explicit-any -- tests read whatever shape the route answers
export async function createGroup(owner: TestUser, options: GroupOptions = {}): Promise<any> {
  const answer = await api("POST", "/v1/social/group", {
    token: owner.token,
    body: { name: "Test group", ...options },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/**
 * `inviter` (creator or manager) invites `user`, who joins: at once when they are friends, else
 * by accepting the invitation (CONTRACT §15).
 */
export async function addMember(groupId: string, inviter: TestUser, user: TestUser) {
  const answer = await api("POST", "/v1/social/group/putIn", {
    token: inviter.token,
    body: { groupId, joinSource: 1, inviteeUid: user.id },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  if (answer.body.data.handleResult === undefined) {
    const accepted = await answerInvitation(user, answer.body.data.id, true);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.data.request.handleResult).toBe(2);
    return;
  }
  expect(answer.body.data.handleResult).toBe(2);
}

/** Invites `invitee` into `groupId` as `inviter`, returning the raw answer. */
export function invite(inviter: TestUser, groupId: string, invitee: TestUser) {
  return api("POST", "/v1/social/group/putIn", {
    token: inviter.token,
    body: { groupId, joinSource: 1, inviteeUid: invitee.id },
  });
}

/** Accepts or declines an invitation as `user`, returning the raw answer. */
export function answerInvitation(user: TestUser, invitationId: string, accept: boolean) {
  return api("PUT", "/v1/social/group/invitation", {
    token: user.token,
    body: { invitationId, accept },
  });
}

/** Sets `user`'s role as the creator `owner`. */
export async function setRole(groupId: string, owner: TestUser, user: TestUser, roleLevel: number) {
  const answer = await api("PUT", "/v1/social/group/role", {
    token: owner.token,
    body: { groupId, userId: user.id, roleLevel },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

export interface GroupCast {
  // deno-lint-ignore no-explicit-any -- the Group as the API answered it
  group: any;
  groupId: string;
  creator: TestUser;
  manager: TestUser;
  member: TestUser;
  outsider: TestUser;
}

/** A group with a creator, a manager, a plain member, and a user who is none of those. */
export async function createGroupCast(options: GroupOptions = {}): Promise<GroupCast> {
  const [creator, manager, member, outsider] = await Promise.all([
    quickUser("Creator"),
    quickUser("Manager"),
    quickUser("Member"),
    quickUser("Outsider"),
  ]);
  const group = await createGroup(creator, options);
  await addMember(group.id, creator, manager);
  await addMember(group.id, creator, member);
  await setRole(group.id, creator, manager, 2);
  return { group, groupId: group.id, creator, manager, member, outsider };
}

/** One number from D1, for asserting what is really stored. */
export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? -1;
}

// deno-lint-ignore no-explicit-any -- a page as the route answered it
type PageAnswer = ApiAnswer<any>;

/** Walks a paginated list to its end, `limit` at a time. */
export async function collectPages(
  path: string,
  token: string,
  limit: number,
): Promise<{ pages: PageAnswer[]; ids: string[] }> {
  const pages: PageAnswer[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const answer: PageAnswer = await api("GET", `${path}${separator}limit=${limit}${suffix}`, {
      token,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    pages.push(answer);
    cursor = answer.body.data.nextCursor;
  } while (cursor && pages.length < 50);
  const ids = pages.flatMap((page) => page.body.data.list.map((item: { id: string }) => item.id));
  return { pages, ids };
}

export type RecordedEvent = [name: keyof MembershipEvents, ...args: unknown[]];

/**
 * MembershipEvents that only record what they were told, in order. Announcements before a write
 * (`…Changing`) are not events and are left out, unless `withAnnouncements` asks for them.
 */
export function recordingEvents(
  { withAnnouncements = false } = {},
): { events: MembershipEvents; calls: RecordedEvent[] } {
  const calls: RecordedEvent[] = [];
  const record = (name: keyof MembershipEvents) => (...args: unknown[]) => {
    calls.push([name, ...args]);
    return Promise.resolve();
  };
  const announce = (name: keyof MembershipEvents) =>
    withAnnouncements ? record(name) : () => Promise.resolve();
  return {
    calls,
    events: {
      friendshipChanging: announce("friendshipChanging"),
      groupMembershipChanging: announce("groupMembershipChanging"),
      blockChanging: announce("blockChanging"),
      friendshipCreated: record("friendshipCreated"),
      friendshipRemoved: record("friendshipRemoved"),
      groupMemberJoined: record("groupMemberJoined"),
      groupMemberLeft: record("groupMemberLeft"),
      groupDissolved: record("groupDissolved"),
      groupMemberUpdated: record("groupMemberUpdated"),
      blockChanged: record("blockChanged"),
      groupNoticeChanged: record("groupNoticeChanged"),
    },
  };
}

/**
 * Adds `count` members straight into D1 (users included) and recounts, for tests of the member
 * cap: registering hundreds of users through the API would spend minutes in bcrypt.
 */
export async function fillGroup(groupId: string, count: number): Promise<void> {
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const userId = crypto.randomUUID().replaceAll("-", "");
    statements.push(
      env.DB.prepare(
        "INSERT INTO users (id, phone, password_hash, nickname, nickname_folded, created_at) VALUES (?, ?, 'x', 'filler', 'filler', ?)",
      ).bind(userId, `+9${userId.slice(0, 15)}`, now),
      env.DB.prepare(
        "INSERT INTO group_members (id, group_id, user_id, role_level, join_time, join_source) VALUES (?, ?, ?, 3, ?, 2)",
      ).bind(crypto.randomUUID().replaceAll("-", ""), groupId, userId, now + i),
    );
  }
  await env.DB.batch(statements);
  await env.DB.prepare(
    "UPDATE groups SET member_count = (SELECT count(*) FROM group_members WHERE group_id = ?1) WHERE id = ?1",
  ).bind(groupId).run();
}

/** `count` blocks by `userId` of made-up users straight into D1, for tests of the block cap. */
export async function fillBlocks(userId: string, count: number): Promise<void> {
  const statements = Array.from(
    { length: count },
    (_, i) =>
      env.DB.prepare(
        "INSERT INTO blocks (id, user_id, blocked_uid, created_at) VALUES (?, ?, ?, ?)",
      )
        .bind(newId(), userId, newId(), i),
  );
  await env.DB.batch(statements);
}

/** Applies to join `groupId` as `user`, returning the raw answer. */
export function applyToGroup(user: TestUser, groupId: string, reqMsg?: string) {
  return api("POST", "/v1/social/group/putIn", {
    token: user.token,
    body: { groupId, joinSource: 2, ...(reqMsg !== undefined && { reqMsg }) },
  });
}

/** Users who are members of `groupId` right now, from D1. */
export function memberCountInDb(groupId: string): Promise<number> {
  return countRows("SELECT count(*) AS n FROM group_members WHERE group_id = ?", groupId);
}

/** `groups.member_count` as stored. */
export function storedMemberCount(groupId: string): Promise<number> {
  return countRows("SELECT member_count AS n FROM groups WHERE id = ?", groupId);
}

/**
 * Makes two users friends straight in D1 — both friendship rows and the passed request — for
 * tests that call the services directly (a friend's invite joins at once; a block of a friend
 * reaches their chat).
 */
export async function befriendInDb(a: { id: string }, b: { id: string }): Promise<void> {
  const now = Date.now();
  const key = [a.id, b.id].sort().join("_");
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO friends (id, user_id, friend_uid, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
    ).bind(newId(), a.id, b.id, now, newId(), b.id, a.id, now),
    env.DB.prepare(
      "INSERT INTO friend_requests (id, user_id, req_uid, pair_key, req_time, handle_result, handled_at) VALUES (?, ?, ?, ?, ?, 2, ?)",
    ).bind(newId(), b.id, a.id, key, now, now),
  ]);
}
