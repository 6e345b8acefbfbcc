/**
 * The SDK's group invitation helpers against the real Worker (CONTRACT §15): `groupInvitations`
 * walks every page of the pending list, oldest first; the session hears `group.invitation`;
 * `answerGroupInvitation` joins (request passed) or declines (request null), and either way the
 * invitation leaves the list.
 */
import { describe, expect, it } from "vitest";
import {
  answerGroupInvitation,
  type GroupInvitation,
  groupInvitations,
} from "../../shared/client/index.ts";
import { createGroup, invite, quickUser } from "../helpers/social.ts";
import { nextReady, sessionStarter, testApi, waitFor } from "../helpers/sdk.ts";

const start = sessionStarter();

async function all(list: AsyncGenerator<GroupInvitation>): Promise<GroupInvitation[]> {
  const seen: GroupInvitation[] = [];
  for await (const invitation of list) seen.push(invitation);
  return seen;
}

describe("group invitation helpers", () => {
  it("lists every page, hears the push, and accepts or declines", async () => {
    const [alice, bob] = await Promise.all([quickUser("Alice"), quickUser("Bob")]);
    const session = start(bob.token);
    await nextReady(session);
    const pushed = waitFor<{ invitation: GroupInvitation }>((listener) =>
      session.on("group.invitation", listener)
    );
    const groups = [];
    for (const name of ["One", "Two", "Three"]) {
      const group = await createGroup(alice, { name });
      const answer = await invite(alice, group.id, bob);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      groups.push(group);
    }
    expect((await pushed).invitation).toMatchObject({ groupId: groups[0].id, status: 1 });

    const bobApi = testApi(bob.token);
    const listed = await all(groupInvitations(bobApi, { limit: 2 }));
    expect(listed.map((i) => i.groupId)).toEqual(groups.map((g) => g.id));
    expect(listed.every((i) => i.inviterUid === alice.id && i.inviteeUid === bob.id)).toBe(true);

    const [first, second] = listed as [GroupInvitation, GroupInvitation];
    const accepted = await answerGroupInvitation(bobApi, first.id, true);
    expect(accepted.invitation.status).toBe(2);
    expect(accepted.request).toMatchObject({ groupId: groups[0].id, handleResult: 2 });
    const declined = await answerGroupInvitation(bobApi, second.id, false);
    expect(declined).toMatchObject({ invitation: { status: 3 }, request: null });

    const left = await all(groupInvitations(bobApi));
    expect(left.map((i) => i.groupId)).toEqual([groups[2].id]);
    const { data } = await bobApi.GET("/v1/social/groups");
    expect(data?.data.list.map((g) => g.id)).toEqual([groups[0].id]);
  });
});
