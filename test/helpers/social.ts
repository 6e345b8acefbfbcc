/** Social test helpers: friendships, groups and members made through the real API. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { MembershipEvents } from "../../shared/social/events.ts";
import { api, type ApiAnswer, createUser, type TestUser } from "./http.ts";

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

/** `inviter` (creator or manager) invites `user`, who joins at once. */
export async function addMember(groupId: string, inviter: TestUser, user: TestUser) {
  const answer = await api("POST", "/v1/social/group/putIn", {
    token: inviter.token,
    body: { groupId, joinSource: 1, inviteeUid: user.id },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.data.handleResult).toBe(2);
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
    createUser("Creator"),
    createUser("Manager"),
    createUser("Member"),
    createUser("Outsider"),
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

/** MembershipEvents that only record what they were told, in order. */
export function recordingEvents(): { events: MembershipEvents; calls: RecordedEvent[] } {
  const calls: RecordedEvent[] = [];
  const record = (name: keyof MembershipEvents) => (...args: unknown[]) => {
    calls.push([name, ...args]);
    return Promise.resolve();
  };
  return {
    calls,
    events: {
      friendshipCreated: record("friendshipCreated"),
      friendshipRemoved: record("friendshipRemoved"),
      groupMemberJoined: record("groupMemberJoined"),
      groupMemberLeft: record("groupMemberLeft"),
      groupDissolved: record("groupDissolved"),
    },
  };
}
