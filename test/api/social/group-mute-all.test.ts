/** `muteAll` on PUT /v1/social/group (CONTRACT §10): who may set it, and where it shows. */
import { describe, expect, it } from "vitest";
import { api, type TestUser } from "../../helpers/http.ts";
import { countRows, createGroupCast, quickUser } from "../../helpers/social.ts";

function setMuteAll(actor: TestUser, groupId: string, muteAll: unknown) {
  return api("PUT", "/v1/social/group", { token: actor.token, body: { groupId, muteAll } });
}

function storedMuteAll(groupId: string) {
  return countRows("SELECT mute_all AS n FROM groups WHERE id = ?", groupId);
}

describe("PUT /v1/social/group {muteAll}", () => {
  it("lets the creator turn it on: the Group answers muteAll true", async () => {
    const { groupId, creator } = await createGroupCast();
    const answer = await setMuteAll(creator, groupId, true);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toMatchObject({ id: groupId, muteAll: true });
    expect(await storedMuteAll(groupId)).toBe(1);
  });

  it("lets a manager turn it off again", async () => {
    const { groupId, creator, manager } = await createGroupCast();
    await setMuteAll(creator, groupId, true);
    const answer = await setMuteAll(manager, groupId, false);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.muteAll).toBe(false);
    expect(await storedMuteAll(groupId)).toBe(0);
  });

  it("refuses a plain member and a non-member with 403, changing nothing", async () => {
    const { groupId, member, outsider } = await createGroupCast();
    for (const actor of [member, outsider]) {
      const answer = await setMuteAll(actor, groupId, true);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ code: 100006, msg: expect.any(String), data: null });
    }
    expect(await storedMuteAll(groupId)).toBe(0);
  });

  it.each([["a string", "yes"], ["a number", 1], ["null", null]])(
    "refuses muteAll as %s with 400 + 100002",
    async (_what, value) => {
      const { groupId, creator } = await createGroupCast();
      const answer = await setMuteAll(creator, groupId, value);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 100002, msg: expect.any(String), data: null });
      expect(answer.body.msg).toContain("muteAll");
    },
  );

  it("leaves muteAll alone when the body does not name it", async () => {
    const { groupId, creator } = await createGroupCast();
    await setMuteAll(creator, groupId, true);
    const renamed = await api("PUT", "/v1/social/group", {
      token: creator.token,
      body: { groupId, name: "Renamed" },
    });
    expect(renamed.body.data).toMatchObject({ name: "Renamed", muteAll: true });
  });

  it("shows muteAll in GET /v1/social/groups", async () => {
    const { groupId, creator, member } = await createGroupCast();
    await setMuteAll(creator, groupId, true);
    const groups = await api("GET", "/v1/social/groups", { token: member.token });
    expect(groups.body.data.list).toEqual([
      expect.objectContaining({ id: groupId, muteAll: true }),
    ]);
  });

  it("is not set at creation: a new group has muteAll false, whatever the body says", async () => {
    const owner = await quickUser();
    const answer = await api("POST", "/v1/social/group", {
      token: owner.token,
      body: { name: "Quiet?", muteAll: true },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.muteAll).toBe(false);
  });
});
