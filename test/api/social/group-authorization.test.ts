/**
 * The authorization matrix of CONTRACT §4: every mutating group route (and the member-only
 * reads) × {creator, manager, plain member, non-member} → the status the contract gives.
 */
import { describe, expect, it } from "vitest";
import { api, type ApiAnswer, type TestUser } from "../../helpers/http.ts";
import {
  addMember,
  applyToGroup,
  createGroupCast,
  type GroupCast,
  quickUser,
} from "../../helpers/social.ts";

type Role = "creator" | "manager" | "member" | "outsider";

interface RouteCase {
  route: string;
  /** Status per caller role. */
  expected: Record<Role, number>;
  /** Sends the request as `actor`; `target` is a plain member nobody else uses. */
  send(cast: GroupCast, actor: TestUser, target: TestUser): Promise<ApiAnswer>;
}

const cases: RouteCase[] = [
  {
    route: "PUT /group",
    expected: { creator: 200, manager: 200, member: 403, outsider: 403 },
    send: (cast, actor) =>
      api("PUT", "/v1/social/group", {
        token: actor.token,
        body: { groupId: cast.groupId, name: "Renamed" },
      }),
  },
  {
    route: "DELETE /group",
    expected: { creator: 200, manager: 403, member: 403, outsider: 403 },
    send: (cast, actor) =>
      api("DELETE", "/v1/social/group", { token: actor.token, body: { groupId: cast.groupId } }),
  },
  {
    route: "POST /group/putIn (invite)",
    expected: { creator: 200, manager: 200, member: 200, outsider: 403 },
    send: async (cast, actor) => {
      const invitee = await quickUser();
      return api("POST", "/v1/social/group/putIn", {
        token: actor.token,
        body: { groupId: cast.groupId, joinSource: 1, inviteeUid: invitee.id },
      });
    },
  },
  {
    route: "PUT /group/putIn",
    expected: { creator: 200, manager: 200, member: 403, outsider: 403 },
    send: async (cast, actor) => {
      const applicant = await quickUser();
      const applied = await applyToGroup(applicant, cast.groupId);
      return api("PUT", "/v1/social/group/putIn", {
        token: actor.token,
        body: {
          groupId: cast.groupId,
          groupReqId: applied.body.data?.id ?? "fedcba9876543210fedcba9876543210",
          handleResult: 2,
        },
      });
    },
  },
  {
    route: "GET /group/putIns",
    expected: { creator: 200, manager: 200, member: 403, outsider: 403 },
    send: (cast, actor) =>
      api("GET", `/v1/social/group/putIns?groupId=${cast.groupId}`, { token: actor.token }),
  },
  {
    route: "GET /group/users",
    expected: { creator: 200, manager: 200, member: 200, outsider: 403 },
    send: (cast, actor) =>
      api("GET", `/v1/social/group/users?groupId=${cast.groupId}`, { token: actor.token }),
  },
  {
    route: "POST /group/quit",
    expected: { creator: 409, manager: 200, member: 200, outsider: 403 },
    send: (cast, actor) =>
      api("POST", "/v1/social/group/quit", { token: actor.token, body: { groupId: cast.groupId } }),
  },
  {
    route: "POST /group/kick (a plain member)",
    expected: { creator: 200, manager: 200, member: 403, outsider: 403 },
    send: (cast, actor, target) =>
      api("POST", "/v1/social/group/kick", {
        token: actor.token,
        body: { groupId: cast.groupId, userId: target.id },
      }),
  },
  {
    route: "PUT /group/role (make manager)",
    expected: { creator: 200, manager: 403, member: 403, outsider: 403 },
    send: (cast, actor, target) =>
      api("PUT", "/v1/social/group/role", {
        token: actor.token,
        body: { groupId: cast.groupId, userId: target.id, roleLevel: 2 },
      }),
  },
  {
    route: "PUT /group/role (transfer)",
    expected: { creator: 200, manager: 403, member: 403, outsider: 403 },
    send: (cast, actor, target) =>
      api("PUT", "/v1/social/group/role", {
        token: actor.token,
        body: { groupId: cast.groupId, userId: target.id, roleLevel: 1 },
      }),
  },
];

const ERROR_CODES: Record<number, number> = { 403: 100006, 404: 100005, 409: 100007 };
const roles: Role[] = ["creator", "manager", "member", "outsider"];

describe("group authorization matrix", () => {
  const rows = cases.flatMap((c) =>
    roles.map((role) => [c.route, role, c.expected[role], c] as const)
  );

  it.each(rows)("%s by the %s answers %i", async (_route, role, status, routeCase) => {
    // A verifying group, so a plain member's invite and an application stay pending.
    const cast = await createGroupCast({ isVerify: true });
    const target = await quickUser("Target");
    await addMember(cast.groupId, cast.creator, target);
    const answer = await routeCase.send(cast, cast[role], target);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    if (status === 200) expect(answer.body.code).toBe(200);
    else expect(answer.body).toMatchObject({ code: ERROR_CODES[status], data: null });
  });

  it.each(cases.map((c) => [c.route, c] as const))(
    "%s on an unknown group answers 404 even to a creator elsewhere",
    async (_route, routeCase) => {
      const cast = await createGroupCast();
      const target = await quickUser();
      const unknown = { ...cast, groupId: "0123456789abcdef0123456789abcdef" };
      const answer = await routeCase.send(unknown, cast.creator, target);
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe(100005);
    },
  );
});
